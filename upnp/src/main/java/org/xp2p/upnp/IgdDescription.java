package org.xp2p.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.bitlet.weupnp.GatewayDevice;
import org.bitlet.weupnp.GatewayDeviceHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Fetches a gateway's device description (the LOCATION of an SSDP answer) and turns it into a
 * weupnp {@link GatewayDevice} whose control URL is absolute. We fetch ourselves, with a connect
 * timeout, a size limit and DTDs refused, because weupnp's own {@code loadDescription} has none of
 * these; weupnp's handler still does the reading of the XML.
 */
final class IgdDescription {
    /** A real description is a few kilobytes; anything huge is not a gateway. */
    static final int MAX_DESCRIPTION_BYTES = 256 * 1024;

    private IgdDescription() {
    }

    static GatewayDevice fetch(SsdpResponse answer, InetAddress localAddress, Duration timeout)
            throws GatewayException {
        byte[] xml;
        try {
            // NO_PROXY: the gateway is on our link; a configured HTTP proxy must not be asked for it.
            HttpURLConnection c = (HttpURLConnection) answer.location().toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            try {
                if (c.getResponseCode() != 200) {
                    throw new MalformedReplyException("UPnP: description " + answer.location() + " answered HTTP "
                            + c.getResponseCode());
                }
                try (InputStream in = c.getInputStream()) {
                    xml = in.readNBytes(MAX_DESCRIPTION_BYTES + 1);
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new GatewayException("UPnP: cannot fetch description " + answer.location() + ": " + e, e);
        }
        if (xml.length > MAX_DESCRIPTION_BYTES) {
            throw new MalformedReplyException("UPnP: description " + answer.location() + " is larger than "
                    + MAX_DESCRIPTION_BYTES + " bytes");
        }
        GatewayDevice device = parse(xml, answer.location());
        device.setSt(answer.searchTarget());
        device.setLocalAddress(localAddress);
        return device;
    }

    /** Parses a description fetched from {@code location}; control URLs are resolved against URLBase or location. */
    static GatewayDevice parse(byte[] xml, URI location) throws MalformedReplyException {
        GatewayDevice device = new GatewayDevice();
        device.setLocation(location.toString());
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setContentHandler(new GatewayDeviceHandler(device));
            reader.parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new MalformedReplyException("UPnP: description " + location + " is not readable XML: " + e.getMessage(),
                    e);
        }
        String serviceType = device.getServiceType();
        String control = device.getControlURL();
        if (serviceType == null || control == null || control.isBlank()
                || !(serviceType.contains(":service:WANIPConnection:") || serviceType.contains(":service:WANPPPConnection:"))) {
            throw new MalformedReplyException("UPnP: description " + location
                    + " offers no WANIPConnection or WANPPPConnection service");
        }
        try {
            String base = device.getURLBase();
            URI baseUri = base == null || base.isBlank() ? location : new URI(base.trim());
            URI controlUri = baseUri.resolve(control.trim());
            if (!"http".equalsIgnoreCase(controlUri.getScheme())
                    || !IpLiteral.parse(controlUri.getHost()).equals(IpLiteral.parse(location.getHost()))) {
                // Only the host that described itself gets our SOAP requests (and no name is ever resolved).
                throw new MalformedReplyException("UPnP: control URL " + controlUri + " is not http on "
                        + location.getHost());
            }
            device.setControlURL(controlUri.toString());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new MalformedReplyException("UPnP: bad control URL '" + control + "' in " + location, e);
        }
        device.setServiceType(serviceType.trim());
        return device;
    }

    /** 2 for WANIPConnection:2 (which knows AddAnyPortMapping), else 1. */
    static int serviceVersion(GatewayDevice device) {
        return device.getServiceType().endsWith(":2") ? 2 : 1;
    }
}
