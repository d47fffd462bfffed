package org.xp2p.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.77.0.1", "255.255.255.255", "::", "::1", "fe80::1", "2001:db8::42",
            "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:192.0.2.128", "1::", "1:2:3:4:5:6:7::"})
    void literalsAreAccepted(String text) {
        assertTrue(IpLiteral.isValid(text), text);
        IpLiteral.parse(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256.1.1.1", "1.2.3", "01.2.3.4", "example.com", "localhost", ":::", "1:2:3:4:5:6:7:8:9",
            "fe80::1%eth0", "[::1]", "1.2.3.4 ", "2001:db8::g"})
    void anythingElseIsRejectedWithoutALookup(String text) {
        assertFalse(IpLiteral.isValid(text), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse(text));
        assertTrue(e.getMessage().contains("not an IPv4 or IPv6 address"));
    }

    @Test
    void parsedAddressesAreTheLiteralOnes() {
        assertEquals("10.77.0.1", IpLiteral.parse("10.77.0.1").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:42", IpLiteral.parse("2001:db8::42").getHostAddress());
    }
}
