package org.xp2p.schemas.smack;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.xp2p.schemas.Abbreviate;
import org.xp2p.schemas.IpLiteral;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * {@code <p2p xmlns="urn:nf:iot:p2p:1.0" extIp extPort locIp locPort/>}: where a device's
 * direct-link server can be reached from outside its LAN (external) and inside it (local).
 */
public record P2pElement(String extIp, int extPort, String locIp, int locPort) implements ExtensionElement {

    public static final String ELEMENT = "p2p";
    public static final String NAMESPACE = Xp2pNamespace.P2P.uri();
    public static final int MAX_PORT = 65535;

    /**
     * @throws IllegalArgumentException when an address is not an IP literal or a port is
     *         outside 0..65535
     */
    public P2pElement {
        checkIp("extIp", extIp);
        checkIp("locIp", locIp);
        checkPort("extPort", extPort);
        checkPort("locPort", locPort);
    }

    public static P2pElement of(InetSocketAddress external, InetSocketAddress local) {
        return new P2pElement(external.getAddress().getHostAddress(), external.getPort(),
                local.getAddress().getHostAddress(), local.getPort());
    }

    public InetSocketAddress external() {
        return new InetSocketAddress(IpLiteral.parse(extIp), extPort);
    }

    public InetSocketAddress local() {
        return new InetSocketAddress(IpLiteral.parse(locIp), locPort);
    }

    /**
     * The valid {@code <p2p/>} a received stanza carries. Use this rather than Smack's
     * {@code getExtension(Class)}, which throws when the provider returned an
     * {@link InvalidExtension} in its place.
     */
    public static Optional<P2pElement> in(Stanza stanza) {
        return StanzaExtensions.ofType(stanza, P2pElement.class).findFirst();
    }

    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public String getNamespace() {
        return NAMESPACE;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        return new XmlStringBuilder(this, enclosing)
                .attribute("extIp", extIp)
                .attribute("extPort", extPort)
                .attribute("locIp", locIp)
                .attribute("locPort", locPort)
                .closeEmptyElement();
    }

    private static void checkIp(String attribute, String value) {
        Objects.requireNonNull(value, attribute);
        if (!IpLiteral.isValid(value)) {
            throw new IllegalArgumentException(attribute + " " + Abbreviate.quote(value)
                    + " is not an IPv4 or IPv6 address");
        }
    }

    private static void checkPort(String attribute, int value) {
        if (value < 0 || value > MAX_PORT) {
            throw new IllegalArgumentException(attribute + " " + value + " is not a port (0.." + MAX_PORT + ")");
        }
    }
}
