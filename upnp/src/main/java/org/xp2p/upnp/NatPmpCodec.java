package org.xp2p.upnp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The NAT-PMP wire format (RFC 6886): requests to bytes, bytes to responses. No I/O here, so every
 * byte can be tested without a gateway.
 */
public final class NatPmpCodec {
    public static final int VERSION = 0;
    public static final int OPCODE_EXTERNAL_ADDRESS = 0;
    /** A response's opcode is the request's plus 128. */
    public static final int RESPONSE_BIT = 128;
    public static final int RESULT_SUCCESS = 0;
    public static final int RESULT_UNSUPPORTED_VERSION = 1;
    public static final int RESULT_NOT_AUTHORIZED = 2;
    public static final int RESULT_NETWORK_FAILURE = 3;
    public static final int RESULT_OUT_OF_RESOURCES = 4;
    public static final int RESULT_UNSUPPORTED_OPCODE = 5;

    private NatPmpCodec() {
    }

    /** The reply to opcode 0: seconds since the gateway's epoch began, and its external IPv4 address. */
    public record ExternalAddressResponse(long epochSeconds, InetAddress externalAddress) {
    }

    /** The reply to a mapping request; lifetime 0 confirms a deletion. */
    public record MapResponse(Protocol protocol, long epochSeconds, int internalPort, int externalPort,
            long lifetimeSeconds) {
    }

    public static byte[] externalAddressRequest() {
        return new byte[] {VERSION, OPCODE_EXTERNAL_ADDRESS};
    }

    /** A mapping request; lifetime 0 with external port 0 deletes the mapping of {@code internalPort}. */
    public static byte[] mapRequest(Protocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.put((byte) VERSION).put((byte) protocol.natPmpOpcode()).putShort((short) 0);
        b.putShort((short) internalPort).putShort((short) suggestedExternalPort);
        b.putInt((int) lifetimeSeconds);
        return b.array();
    }

    public static ExternalAddressResponse decodeExternalAddress(byte[] data, int length) throws GatewayException {
        ByteBuffer b = header(data, length, OPCODE_EXTERNAL_ADDRESS, 12);
        long epoch = Integer.toUnsignedLong(b.getInt());
        byte[] address = new byte[4];
        b.get(address);
        try {
            return new ExternalAddressResponse(epoch, InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new MalformedReplyException("NAT-PMP: bad address", e);
        }
    }

    public static MapResponse decodeMap(byte[] data, int length, Protocol expected) throws GatewayException {
        ByteBuffer b = header(data, length, expected.natPmpOpcode(), 16);
        long epoch = Integer.toUnsignedLong(b.getInt());
        int internal = Short.toUnsignedInt(b.getShort());
        int external = Short.toUnsignedInt(b.getShort());
        long lifetime = Integer.toUnsignedLong(b.getInt());
        return new MapResponse(expected, epoch, internal, external, lifetime);
    }

    /**
     * Checks version, opcode and result code, and returns the buffer positioned after the result code.
     * A refusal is thrown only once the opcode matched, so a stray packet is never taken as an answer.
     */
    private static ByteBuffer header(byte[] data, int length, int requestOpcode, int fullLength) throws GatewayException {
        if (length < 4) {
            throw new MalformedReplyException("NAT-PMP: reply of " + length + " bytes is too short for a header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        int version = b.get() & 0xff;
        int opcode = b.get() & 0xff;
        int result = Short.toUnsignedInt(b.getShort());
        if (version != VERSION) {
            throw new MalformedReplyException("NAT-PMP: reply has version " + version + ", expected 0");
        }
        if (opcode != RESPONSE_BIT + requestOpcode) {
            throw new MalformedReplyException("NAT-PMP: reply has opcode " + opcode + ", expected "
                    + (RESPONSE_BIT + requestOpcode));
        }
        if (result != RESULT_SUCCESS) {
            throw new GatewayRefusedException("NAT-PMP: gateway answered result " + result + " (" + resultName(result)
                    + ")", result, result == RESULT_UNSUPPORTED_VERSION || result == RESULT_UNSUPPORTED_OPCODE);
        }
        if (length < fullLength) {
            throw new MalformedReplyException("NAT-PMP: reply of " + length + " bytes, expected " + fullLength);
        }
        return b;
    }

    public static String resultName(int result) {
        return switch (result) {
            case RESULT_SUCCESS -> "success";
            case RESULT_UNSUPPORTED_VERSION -> "unsupported version";
            case RESULT_NOT_AUTHORIZED -> "not authorized/refused";
            case RESULT_NETWORK_FAILURE -> "network failure";
            case RESULT_OUT_OF_RESOURCES -> "out of resources";
            case RESULT_UNSUPPORTED_OPCODE -> "unsupported opcode";
            default -> "unknown";
        };
    }
}
