package org.xp2p.schemas.smack;

import java.util.List;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.xp2p.schemas.Violation;

/**
 * Stands in a received stanza where one of our elements was present but invalid. The
 * providers return it instead of throwing, because Smack's default reaction to a parser
 * exception is to close the whole connection: one peer's bad {@code <e2e/>} must cost
 * that peer its stanza, not cost us the broker.
 *
 * <p>It is not meant to be sent: written out, it is an empty element in the namespace it
 * arrived in.
 */
public record InvalidExtension(String elementName, String namespace, Violation violation) implements ExtensionElement {

    /** Every invalid xp2p element a received stanza carried. */
    public static List<InvalidExtension> in(Stanza stanza) {
        return StanzaExtensions.ofType(stanza, InvalidExtension.class).toList();
    }

    @Override
    public String getElementName() {
        return elementName;
    }

    @Override
    public String getNamespace() {
        return namespace;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        return new XmlStringBuilder(this, enclosing).closeEmptyElement();
    }
}
