package org.xp2p.upnp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The PCP wire format (RFC 6887) for the two opcodes we use, MAP and ANNOUNCE. No I/O here.
 * IPv4 addresses travel as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), as the RFC requires.
 */
public final class PcpCodec {
    public static final int VERSION = 2;
    public static final int OPCODE_ANNOUNCE = 0;
    public static final int OPCODE_MAP = 1;
    public static final int RESPONSE_BIT = 0x80;
    public static final int HEADER_BYTES = 24;
    public static final int MAP_BYTES = 36;
    public static final int NONCE_BYTES = 12;

    public static final int RESULT_SUCCESS = 0;
    public static final int RESULT_UNSUPP_VERSION = 1;
    public static final int RESULT_NOT_AUTHORIZED = 2;
    public static final int RESULT_MALFORMED_REQUEST = 3;
    public static final int RESULT_UNSUPP_OPCODE = 4;
    public static final int RESULT_UNSUPP_OPTION = 5;
    public static final int RESULT_MALFORMED_OPTION = 6;
    public static final int RESULT_NETWORK_FAILURE = 7;
    public static final int RESULT_NO_RESOURCES = 8;
    public static final int RESULT_UNSUPP_PROTOCOL = 9;
    public static final int RESULT_USER_EX_QUOTA = 10;
    public static final int RESULT_CANNOT_PROVIDE_EXTERNAL = 11;
    public static final int RESULT_ADDRESS_MISMATCH = 12;
    public static final int RESULT_EXCESSIVE_REMOTE_PEERS = 13;

    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private PcpCodec() {
    }

    /** A MAP request: {@code lifetimeSeconds} 0 deletes the mapping the nonce and internal port name. */
    public record MapRequest(byte[] nonce, Protocol protocol, InetAddress clientAddress, int internalPort,
            int suggestedExternalPort, InetAddress suggestedExternalAddress, long lifetimeSeconds) {
        public MapRequest {
            if (nonce.length != NONCE_BYTES) {
                throw new IllegalArgumentException("PCP nonce must be 12 bytes");
            }
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }
    }

    /** The common response header; {@code lifetimeSeconds} of an error says how long the error holds. */
    public record ResponseHeader(int opcode, int resultCode, long lifetimeSeconds, long epochSeconds) {
        public boolean success() {
            return resultCode == RESULT_SUCCESS;
        }
    }

    /** A MAP response: header plus what the server assigned. */
    public record MapResponse(ResponseHeader header, byte[] nonce, Protocol protocol, int internalPort,
            int externalPort, InetAddress externalAddress) {
        public MapResponse {
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }
    }

    public static byte[] encodeMap(MapRequest r) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + MAP_BYTES);
        b.put((byte) VERSION).put((byte) OPCODE_MAP).putShort((short) 0);
        b.putInt((int) r.lifetimeSeconds());
        b.put(toPcpAddress(r.clientAddress()));
        b.put(r.nonce());
        b.put((byte) r.protocol().ianaNumber()).put(new byte[3]);
        b.putShort((short) r.internalPort()).putShort((short) r.suggestedExternalPort());
        b.put(toPcpAddress(r.suggestedExternalAddress()));
        return b.array();
    }

    /** ANNOUNCE: a header only, lifetime 0; the answer tells the server's epoch (has it restarted?). */
    public static byte[] encodeAnnounce(InetAddress clientAddress) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put((byte) VERSION).put((byte) OPCODE_ANNOUNCE).putShort((short) 0).putInt(0);
        b.put(toPcpAddress(clientAddress));
        return b.array();
    }

    /**
     * Decodes a response header to {@code expectedOpcode}. A NAT-PMP-only gateway answers a PCP
     * request with a NAT-PMP "unsupported version" packet (version 0): that is reported as a refusal
     * saying PCP is unsupported, so the caller moves on to NAT-PMP.
     */
    public static ResponseHeader decodeHeader(byte[] data, int length, int expectedOpcode) throws GatewayException {
        if (length >= 4 && data[0] == NatPmpCodec.VERSION && (data[1] & 0xff) >= NatPmpCodec.RESPONSE_BIT
                && data[2] == 0 && data[3] == NatPmpCodec.RESULT_UNSUPPORTED_VERSION) {
            throw new GatewayRefusedException("PCP: the gateway speaks only NAT-PMP (answered version 0)",
                    RESULT_UNSUPP_VERSION, true);
        }
        if (length < HEADER_BYTES) {
            throw new MalformedReplyException("PCP: reply of " + length + " bytes is shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        int version = b.get() & 0xff;
        int opcodeByte = b.get() & 0xff;
        b.get();
        int result = b.get() & 0xff;
        long lifetime = Integer.toUnsignedLong(b.getInt());
        long epoch = Integer.toUnsignedLong(b.getInt());
        if (version != VERSION) {
            if (result == RESULT_UNSUPP_VERSION) {
                throw new GatewayRefusedException("PCP: gateway does not support version 2 (it speaks " + version + ")",
                        result, true);
            }
            throw new MalformedReplyException("PCP: reply has version " + version);
        }
        if ((opcodeByte & RESPONSE_BIT) == 0 || (opcodeByte & 0x7f) != expectedOpcode) {
            throw new MalformedReplyException("PCP: reply has opcode byte " + opcodeByte + ", expected response to "
                    + expectedOpcode);
        }
        return new ResponseHeader(opcodeByte & 0x7f, result, lifetime, epoch);
    }

    public static MapResponse decodeMap(byte[] data, int length) throws GatewayException {
        ResponseHeader h = decodeHeader(data, length, OPCODE_MAP);
        if (length < HEADER_BYTES + MAP_BYTES) {
            if (!h.success()) {
                throw refusal(h);
            }
            throw new MalformedReplyException("PCP: MAP reply of " + length + " bytes, expected at least "
                    + (HEADER_BYTES + MAP_BYTES));
        }
        ByteBuffer b = ByteBuffer.wrap(data, HEADER_BYTES, length - HEADER_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        b.get(nonce);
        int protocolNumber = b.get() & 0xff;
        b.position(b.position() + 3);
        int internal = Short.toUnsignedInt(b.getShort());
        int external = Short.toUnsignedInt(b.getShort());
        byte[] address = new byte[16];
        b.get(address);
        Protocol protocol;
        try {
            protocol = Protocol.ofIana(protocolNumber);
        } catch (IllegalArgumentException e) {
            throw new MalformedReplyException("PCP: MAP reply for " + e.getMessage());
        }
        return new MapResponse(h, nonce, protocol, internal, external, fromPcpAddress(address));
    }

    public static GatewayRefusedException refusal(ResponseHeader h) {
        int code = h.resultCode();
        return new GatewayRefusedException("PCP: gateway answered " + resultName(code) + " (" + code + ")", code,
                code == RESULT_UNSUPP_VERSION || code == RESULT_UNSUPP_OPCODE);
    }

    /** IPv4 as ::ffff:a.b.c.d, IPv6 as is; null (no suggestion) as the IPv4-mapped zero address. */
    public static byte[] toPcpAddress(InetAddress address) {
        byte[] out = new byte[16];
        if (address == null || address instanceof Inet4Address) {
            System.arraycopy(IPV4_MAPPED_PREFIX, 0, out, 0, 12);
            if (address != null) {
                System.arraycopy(address.getAddress(), 0, out, 12, 4);
            }
        } else if (address instanceof Inet6Address) {
            out = address.getAddress();
        }
        return out;
    }

    public static InetAddress fromPcpAddress(byte[] sixteen) throws MalformedReplyException {
        try {
            if (Arrays.equals(Arrays.copyOf(sixteen, 12), IPV4_MAPPED_PREFIX)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(sixteen, 12, 16));
            }
            return InetAddress.getByAddress(sixteen);
        } catch (UnknownHostException e) {
            throw new MalformedReplyException("PCP: bad address", e);
        }
    }

    public static String resultName(int code) {
        return switch (code) {
            case RESULT_SUCCESS -> "SUCCESS";
            case RESULT_UNSUPP_VERSION -> "UNSUPP_VERSION";
            case RESULT_NOT_AUTHORIZED -> "NOT_AUTHORIZED";
            case RESULT_MALFORMED_REQUEST -> "MALFORMED_REQUEST";
            case RESULT_UNSUPP_OPCODE -> "UNSUPP_OPCODE";
            case RESULT_UNSUPP_OPTION -> "UNSUPP_OPTION";
            case RESULT_MALFORMED_OPTION -> "MALFORMED_OPTION";
            case RESULT_NETWORK_FAILURE -> "NETWORK_FAILURE";
            case RESULT_NO_RESOURCES -> "NO_RESOURCES";
            case RESULT_UNSUPP_PROTOCOL -> "UNSUPP_PROTOCOL";
            case RESULT_USER_EX_QUOTA -> "USER_EX_QUOTA";
            case RESULT_CANNOT_PROVIDE_EXTERNAL -> "CANNOT_PROVIDE_EXTERNAL";
            case RESULT_ADDRESS_MISMATCH -> "ADDRESS_MISMATCH";
            case RESULT_EXCESSIVE_REMOTE_PEERS -> "EXCESSIVE_REMOTE_PEERS";
            default -> "UNKNOWN";
        };
    }
}
