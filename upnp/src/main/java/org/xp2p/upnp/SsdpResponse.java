package org.xp2p.upnp;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One unicast answer to an SSDP M-SEARCH (UPnP Device Architecture 1.1, 1.3.3): where the device
 * description lives and what search target it answered for. Parsing only; see {@link SsdpSearch}.
 */
public record SsdpResponse(URI location, String searchTarget, String usn, String server) {
    /** The search targets that find an Internet gateway (device types and the WAN connection services). */
    public static final String[] GATEWAY_SEARCH_TARGETS = {
        "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    };

    /** True when the answer names one of the {@link #GATEWAY_SEARCH_TARGETS}. */
    public boolean isGateway() {
        for (String st : GATEWAY_SEARCH_TARGETS) {
            if (st.equalsIgnoreCase(searchTarget)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a datagram; empty when it is not a "200 OK" with an http LOCATION on an IP address
     * (a NOTIFY, an M-SEARCH from another control point, a host name we will not resolve, or garbage).
     */
    public static Optional<SsdpResponse> parse(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].toUpperCase(Locale.ROOT).matches("HTTP/1\\.[01] 200( .*)?")) {
            return Optional.empty();
        }
        String location = null;
        String st = "";
        String usn = "";
        String server = "";
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "LOCATION" -> location = value;
                case "ST" -> st = value;
                case "USN" -> usn = value;
                case "SERVER" -> server = value;
                default -> {
                    // CACHE-CONTROL, EXT, DATE, BOOTID.UPNP.ORG...: not needed to reach the gateway
                }
            }
        }
        if (location == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(location);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || IpLiteral.parse(uri.getHost()).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new SsdpResponse(uri, st, usn, server));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
