package org.xp2p.schemas.smack;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * {@code <e2e xmlns="urn:nf:iot:e2e:1.0" aes cha acp>} with one child per public key:
 * the sender's current end-to-end keys and the symmetric ciphers it accepts.
 */
public record E2eElement(boolean aes, boolean cha, boolean acp, List<PublishedKey> keys) implements ExtensionElement {

    public static final String ELEMENT = "e2e";
    public static final String NAMESPACE = Xp2pNamespace.E2E.uri();

    public E2eElement {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    }

    /** Keys accepting all three ciphers, as a device with no cipher preference publishes them. */
    public static E2eElement of(List<PublishedKey> keys) {
        return new E2eElement(true, true, true, keys);
    }

    public boolean accepts(SymmetricCipher cipher) {
        return switch (cipher) {
            case AES -> aes;
            case CHA -> cha;
            case ACP -> acp;
        };
    }

    /** The first published key of a type. */
    public Optional<PublishedKey> key(KeyType type) {
        return keys.stream().filter(k -> k.type() == type).findFirst();
    }

    /**
     * The valid {@code <e2e/>} a received stanza carries. Use this rather than Smack's
     * {@code getExtension(Class)}, which throws when the provider returned an
     * {@link InvalidExtension} in its place.
     */
    public static Optional<E2eElement> in(Stanza stanza) {
        return StanzaExtensions.ofType(stanza, E2eElement.class).findFirst();
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
        // All three flags are written although "missing" means "true": deployed devices
        // always write them, and some may read a missing flag differently.
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing)
                .attribute("aes", aes)
                .attribute("cha", cha)
                .attribute("acp", acp);
        if (keys.isEmpty()) {
            return xml.closeEmptyElement();
        }
        xml.rightAngleBracket();
        for (PublishedKey key : keys) {
            xml.halfOpenElement(key.type().elementName()).attribute("pub", key.pubBase64()).closeEmptyElement();
        }
        return xml.closeElement(this);
    }
}
