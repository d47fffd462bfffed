package org.xp2p.samples.common;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.IQ;

/**
 * An iq whose one child element is a sample's own: attributes and, optionally, text. The
 * receiving device has no provider for it, so it arrives as an {@code UnparsedIQ} whose
 * content is the element's XML, which the sample validates with {@link SampleXml}.
 * Not thread-safe (a stanza is built, then sent).
 */
public final class ElementIq extends IQ {
    private final Map<String, String> attributes;
    private final String text;

    /**
     * @param attributes in document order; null values are left out
     * @param text       the element's text, escaped here; null for an empty element
     */
    public ElementIq(String element, String namespace, Map<String, String> attributes, String text) {
        super(element, namespace);
        this.attributes = new LinkedHashMap<>(attributes);
        this.text = text;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        attributes.forEach(xml::optAttribute);
        if (text == null) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.escape(text);
        }
        return xml;
    }
}
