package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PcpCodecTest {
    private static final byte[] NONCE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void mapRequestLaysOutHeaderAndOpcodeFieldsAsRfc6887Says() throws Exception {
        byte[] p = PcpCodec.encodeMap(new PcpCodec.MapRequest(NONCE, Protocol.UDP,
                InetAddress.getByName("192.168.77.10"), 5000, 6000, null, 7200));
        assertEquals(60, p.length);
        ByteBuffer b = ByteBuffer.wrap(p);
        assertEquals(2, b.get());
        assertEquals(1, b.get(), "R bit clear, opcode MAP");
        assertEquals(0, b.getShort());
        assertEquals(7200, b.getInt());
        byte[] client = new byte[16];
        b.get(client);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, (byte) 168, 77, 10}, client);
        byte[] nonce = new byte[12];
        b.get(nonce);
        assertArrayEquals(NONCE, nonce);
        assertEquals(17, b.get(), "IANA protocol number of UDP");
        b.position(b.position() + 3);
        assertEquals(5000, b.getShort());
        assertEquals(6000, b.getShort());
        byte[] suggested = new byte[16];
        b.get(suggested);
        assertArrayEquals(PcpCodec.toPcpAddress(InetAddress.getByName("0.0.0.0")), suggested,
                "no suggestion: the IPv4-mapped zero address");
    }

    @Test
    void announceIsABareHeaderWithLifetimeZero() throws Exception {
        byte[] p = PcpCodec.encodeAnnounce(InetAddress.getByName("10.0.0.2"));
        assertEquals(24, p.length);
        assertEquals(2, p[0]);
        assertEquals(0, p[1]);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(p, 4, 8));
    }

    @Test
    void decodesAMapResponse() throws Exception {
        byte[] r = response(PcpCodec.RESULT_SUCCESS, 3600, 77, Protocol.TCP, 5000, 17000, "11.22.33.44");
        PcpCodec.MapResponse m = PcpCodec.decodeMap(r, r.length);
        assertTrue(m.header().success());
        assertEquals(3600, m.header().lifetimeSeconds());
        assertEquals(77, m.header().epochSeconds());
        assertArrayEquals(NONCE, m.nonce());
        assertEquals(Protocol.TCP, m.protocol());
        assertEquals(5000, m.internalPort());
        assertEquals(17000, m.externalPort());
        assertEquals(InetAddress.getByName("11.22.33.44"), m.externalAddress());
    }

    @Test
    void aNatPmpOnlyServerAnsweringUnsupportedVersionMeansPcpIsUnsupported() {
        byte[] natPmp = {0, (byte) 129, 0, 1, 0, 0, 0, 9};
        GatewayRefusedException e = assertThrows(GatewayRefusedException.class,
                () -> PcpCodec.decodeMap(natPmp, natPmp.length));
        assertTrue(e.protocolUnsupported());
    }

    @Test
    void anErrorResultIsReportedWithItsName() throws Exception {
        byte[] r = response(PcpCodec.RESULT_NOT_AUTHORIZED, 30, 5, Protocol.TCP, 5000, 0, "0.0.0.0");
        PcpCodec.MapResponse m = PcpCodec.decodeMap(r, r.length);
        GatewayRefusedException e = PcpCodec.refusal(m.header());
        assertEquals(2, e.code());
        assertTrue(e.getMessage().contains("NOT_AUTHORIZED"));
    }

    @Test
    void garbageIsMalformed() {
        assertThrows(MalformedReplyException.class, () -> PcpCodec.decodeMap(new byte[10], 10));
        byte[] request = new byte[60];
        request[0] = 2;
        request[1] = 1; // a request, not a response (R bit clear)
        assertThrows(MalformedReplyException.class, () -> PcpCodec.decodeMap(request, 60));
        byte[] otherVersion = new byte[60];
        otherVersion[0] = 1;
        otherVersion[1] = (byte) 0x81;
        assertThrows(MalformedReplyException.class, () -> PcpCodec.decodeMap(otherVersion, 60));
        byte[] badProtocol = response(0, 10, 1, Protocol.TCP, 1, 1, "1.2.3.4");
        badProtocol[24 + 12] = 99;
        assertThrows(MalformedReplyException.class, () -> PcpCodec.decodeMap(badProtocol, badProtocol.length));
    }

    @Test
    void ipv4TravelsMappedAndComesBackAsIpv4() throws Exception {
        InetAddress a = InetAddress.getByName("100.64.0.7");
        assertEquals(a, PcpCodec.fromPcpAddress(PcpCodec.toPcpAddress(a)));
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertEquals(v6, PcpCodec.fromPcpAddress(PcpCodec.toPcpAddress(v6)));
    }

    private static byte[] response(int result, int lifetime, int epoch, Protocol protocol, int internal, int external,
            String address) {
        try {
            ByteBuffer b = ByteBuffer.allocate(60);
            b.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) result).putInt(lifetime).putInt(epoch)
                    .put(new byte[12]);
            b.put(NONCE).put((byte) protocol.ianaNumber()).put(new byte[3]).putShort((short) internal)
                    .putShort((short) external).put(PcpCodec.toPcpAddress(InetAddress.getByName(address)));
            return b.array();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
