package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IgdSoapTest {
    private static final String WANIP = "urn:schemas-upnp-org:service:WANIPConnection:1";

    @Test
    void argumentsKeepTheirOrderAndAreEscaped() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewExternalPort", "17000");
        args.put("NewPortMappingDescription", "a&b <c>");
        String e = IgdSoap.envelope(WANIP, "AddPortMapping", args);
        assertTrue(e.contains("<u:AddPortMapping xmlns:u=\"" + WANIP + "\"><NewExternalPort>17000</NewExternalPort>"
                + "<NewPortMappingDescription>a&amp;b &lt;c&gt;</NewPortMappingDescription></u:AddPortMapping>"), e);
    }

    @Test
    void readsAnAnswerAndAFault() throws Exception {
        String ok = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Body><u:GetExternalIPAddressResponse xmlns:u=\"" + WANIP + "\">"
                + "<NewExternalIPAddress>11.22.33.44</NewExternalIPAddress></u:GetExternalIPAddressResponse>"
                + "</s:Body></s:Envelope>";
        assertEquals("11.22.33.44", IgdSoap.parse(ok.getBytes(StandardCharsets.UTF_8), "x").get("NewExternalIPAddress"));
        String fault = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode>"
                + "<errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault>"
                + "</s:Body></s:Envelope>";
        Map<String, String> f = IgdSoap.parse(fault.getBytes(StandardCharsets.UTF_8), "x");
        assertEquals("718", f.get("errorCode"));
        assertEquals("ConflictInMappingEntry", f.get("errorDescription"));
    }

    @Test
    void aDoctypeOrNonXmlIsMalformed() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><a>&x;</a>";
        assertThrows(MalformedReplyException.class, () -> IgdSoap.parse(xxe.getBytes(StandardCharsets.UTF_8), "x"));
        assertThrows(MalformedReplyException.class, () -> IgdSoap.parse("<<<".getBytes(StandardCharsets.UTF_8), "x"));
    }
}
