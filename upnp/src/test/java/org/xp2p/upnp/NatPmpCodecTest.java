package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NatPmpCodecTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void externalAddressRequestIsVersionZeroOpcodeZero() {
        assertArrayEquals(bytes(0, 0), NatPmpCodec.externalAddressRequest());
    }

    @Test
    void tcpMapRequestCarriesOpcodeTwoPortsAndLifetimeInNetworkOrder() {
        assertArrayEquals(bytes(0, 2, 0, 0, 0x13, 0x88, 0x17, 0x70, 0, 0, 0x1c, 0x20),
                NatPmpCodec.mapRequest(Protocol.TCP, 5000, 6000, 7200));
        assertArrayEquals(bytes(0, 1, 0, 0, 0x13, 0x88, 0, 0, 0, 0, 0, 0),
                NatPmpCodec.mapRequest(Protocol.UDP, 5000, 0, 0), "UDP delete: lifetime 0, external port 0");
    }

    @Test
    void decodesExternalAddressAndEpoch() throws Exception {
        byte[] reply = bytes(0, 128, 0, 0, 0, 0, 1, 0, 11, 22, 33, 44);
        NatPmpCodec.ExternalAddressResponse r = NatPmpCodec.decodeExternalAddress(reply, reply.length);
        assertEquals(256, r.epochSeconds());
        assertEquals(InetAddress.getByName("11.22.33.44"), r.externalAddress());
    }

    @Test
    void decodesMapReplyWithUnsignedFields() throws Exception {
        byte[] reply = bytes(0, 130, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x17, 0x70, 0x80, 0, 0, 0);
        NatPmpCodec.MapResponse r = NatPmpCodec.decodeMap(reply, reply.length, Protocol.TCP);
        assertEquals(4294967295L, r.epochSeconds());
        assertEquals(65534, r.internalPort());
        assertEquals(6000, r.externalPort());
        assertEquals(2147483648L, r.lifetimeSeconds());
    }

    @Test
    void aRefusalCarriesItsResultCode() {
        byte[] reply = bytes(0, 130, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0);
        GatewayRefusedException e = assertThrows(GatewayRefusedException.class,
                () -> NatPmpCodec.decodeMap(reply, reply.length, Protocol.TCP));
        assertEquals(NatPmpCodec.RESULT_NOT_AUTHORIZED, e.code());
        assertTrue(e.getMessage().contains("not authorized"));
    }

    @Test
    void garbageIsMalformedNeverAnAnswer() {
        byte[] shortOne = bytes(0, 128);
        assertThrows(MalformedReplyException.class, () -> NatPmpCodec.decodeExternalAddress(shortOne, 2));
        byte[] wrongOpcode = bytes(0, 129, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThrows(MalformedReplyException.class, () -> NatPmpCodec.decodeMap(wrongOpcode, 16, Protocol.TCP),
                "a UDP answer does not answer a TCP request");
        byte[] wrongVersion = bytes(2, 128, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4);
        assertThrows(MalformedReplyException.class, () -> NatPmpCodec.decodeExternalAddress(wrongVersion, 12));
        byte[] truncated = bytes(0, 130, 0, 0, 0, 0, 0, 1, 0, 1);
        assertThrows(MalformedReplyException.class, () -> NatPmpCodec.decodeMap(truncated, 10, Protocol.TCP));
    }
}
