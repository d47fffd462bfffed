package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SsdpResponseTest {
    private static Optional<SsdpResponse> parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return SsdpResponse.parse(b, b.length);
    }

    @Test
    void readsTheAnswerMiniupnpdSends() {
        SsdpResponse r = parse("HTTP/1.1 200 OK\r\n"
                + "CACHE-CONTROL: max-age=120\r\n"
                + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:2264b223::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "EXT:\r\n"
                + "SERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
                + "LOCATION: http://192.168.77.1:5000/rootDesc.xml\r\n"
                + "OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"
                + "\r\n").orElseThrow();
        assertEquals("http://192.168.77.1:5000/rootDesc.xml", r.location().toString());
        assertEquals("urn:schemas-upnp-org:device:InternetGatewayDevice:1", r.searchTarget());
        assertTrue(r.server().contains("MiniUPnPd"));
        assertTrue(r.isGateway());
    }

    @Test
    void headerNamesAreCaseInsensitiveAndBareNewlinesAreAccepted() {
        SsdpResponse r = parse("HTTP/1.1 200 OK\nlocation: http://10.0.0.1:1900/igd.xml\nst: "
                + "urn:schemas-upnp-org:service:WANIPConnection:2\n\n").orElseThrow();
        assertEquals("10.0.0.1", r.location().getHost());
        assertTrue(r.isGateway());
    }

    @Test
    void notAnswersOrUnusableLocationsAreIgnored() {
        assertFalse(parse("NOTIFY * HTTP/1.1\r\nLOCATION: http://10.0.0.1/x\r\n\r\n").isPresent());
        assertFalse(parse("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n").isPresent());
        assertFalse(parse("HTTP/1.1 404 Not Found\r\nLOCATION: http://10.0.0.1/x\r\n\r\n").isPresent());
        assertFalse(parse("HTTP/1.1 200 OK\r\nST: x\r\n\r\n").isPresent(), "no LOCATION");
        assertFalse(parse("HTTP/1.1 200 OK\r\nLOCATION: https://10.0.0.1/x\r\n\r\n").isPresent());
        assertFalse(parse("HTTP/1.1 200 OK\r\nLOCATION: http://router.example/x\r\n\r\n").isPresent(),
                "a host name would need DNS, which we never ask");
        assertFalse(parse("\u0000\u0001garbage").isPresent());
    }

    @Test
    void aMediaServerIsNotAGateway() {
        assertFalse(parse("HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.5/d.xml\r\n"
                + "ST: urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n").orElseThrow().isGateway());
    }

    @Test
    void theSearchRequestIsWellFormed() {
        String m = new String(SsdpSearch.request("urn:schemas-upnp-org:device:InternetGatewayDevice:1", 2),
                StandardCharsets.US_ASCII);
        assertTrue(m.startsWith("M-SEARCH * HTTP/1.1\r\n"));
        assertTrue(m.contains("MAN: \"ssdp:discover\"\r\n"));
        assertTrue(m.contains("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"));
        assertTrue(m.endsWith("\r\n\r\n"));
    }
}
