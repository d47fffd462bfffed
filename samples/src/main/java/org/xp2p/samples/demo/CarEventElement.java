package org.xp2p.samples.demo;

import java.io.IOException;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** A {@link CarEvent} as a message extension, so it travels inside E2E-encrypted messages. */
final class CarEventElement implements ExtensionElement {
    static final String ELEMENT = "event";

    private final CarEvent event;

    CarEventElement(CarEvent event) {
        this.event = event;
    }

    CarEvent event() {
        return event;
    }

    /** Makes Smack parse {@code <event/>} into this class wherever it appears (idempotent). */
    static void register() {
        ProviderManager.addExtensionProvider(ELEMENT, DemoXml.NAMESPACE, new Provider());
    }

    @Override
    public String getNamespace() {
        return DemoXml.NAMESPACE;
    }

    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public CharSequence toXML(XmlEnvironment enclosing) {
        return event.toXml();
    }

    /**
     * Validates the element exactly as received against cars.xsd before it becomes an
     * event; an invalid one fails the parse, so the stanza is rejected, not half-read.
     */
    static final class Provider extends ExtensionElementProvider<CarEventElement> {
        @Override
        public CarEventElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment env)
                throws XmlPullParserException, IOException, SmackParsingException {
            String xml = PacketParserUtils.parseElement(parser, true).toString();
            try {
                return new CarEventElement(CarEvent.fromXml(xml));
            } catch (IllegalArgumentException e) {
                throw new SmackParsingException(e.getMessage());
            }
        }
    }
}
