package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.bitlet.weupnp.GatewayDevice;
import org.junit.jupiter.api.Test;

class IgdDescriptionTest {
    private static final URI LOCATION = URI.create("http://192.168.77.1:5000/rootDesc.xml");

    private static String description(String urlBase, String serviceType, String controlUrl) {
        return "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\">" + urlBase + "<device>"
                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><serviceList><service>"
                + "<serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
                + "<controlURL>/ctl/CmnIfCfg</controlURL></service></serviceList><deviceList><device>"
                + "<serviceList><service><serviceType>" + serviceType + "</serviceType>"
                + "<controlURL>" + controlUrl + "</controlURL></service></serviceList>"
                + "</device></deviceList></device></deviceList></device></root>";
    }

    private static GatewayDevice parse(String xml) throws MalformedReplyException {
        return IgdDescription.parse(xml.getBytes(StandardCharsets.UTF_8), LOCATION);
    }

    @Test
    void findsTheWanIpConnectionAndMakesItsControlUrlAbsolute() throws Exception {
        GatewayDevice d = parse(description("", "urn:schemas-upnp-org:service:WANIPConnection:2", "/ctl/IPConn"));
        assertEquals("urn:schemas-upnp-org:service:WANIPConnection:2", d.getServiceType());
        assertEquals("http://192.168.77.1:5000/ctl/IPConn", d.getControlURL());
        assertEquals(2, IgdDescription.serviceVersion(d));
    }

    @Test
    void resolvesAgainstUrlBaseWhenGiven() throws Exception {
        GatewayDevice d = parse(description("<URLBase>http://192.168.77.1:49152/</URLBase>",
                "urn:schemas-upnp-org:service:WANPPPConnection:1", "upnp/control/WANPPPConn1"));
        assertEquals("http://192.168.77.1:49152/upnp/control/WANPPPConn1", d.getControlURL());
        assertEquals(1, IgdDescription.serviceVersion(d));
    }

    @Test
    void aControlUrlOnAnotherHostIsRefused() {
        assertThrows(MalformedReplyException.class, () -> parse(description("",
                "urn:schemas-upnp-org:service:WANIPConnection:1", "http://198.51.100.1/ctl")));
    }

    @Test
    void noWanConnectionServiceOrNoXmlIsMalformed() {
        assertThrows(MalformedReplyException.class, () -> parse(description("",
                "urn:schemas-upnp-org:service:Layer3Forwarding:1", "/ctl/L3F")));
        assertThrows(MalformedReplyException.class, () -> parse("this is not XML <<<"));
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverFetched() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY x SYSTEM \"http://198.51.100.1/\">]>"
                + description("", "urn:schemas-upnp-org:service:WANIPConnection:1", "&x;").substring(21);
        assertThrows(MalformedReplyException.class, () -> parse(xxe));
    }
}
