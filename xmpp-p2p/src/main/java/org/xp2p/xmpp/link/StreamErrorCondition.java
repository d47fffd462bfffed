package org.xp2p.xmpp.link;

import java.util.Locale;

/** The RFC 6120 stream error conditions this link sends (section 4.9.3). */
public enum StreamErrorCondition {
    BAD_FORMAT,
    CONNECTION_TIMEOUT,
    HOST_UNKNOWN,
    INVALID_FROM,
    INVALID_NAMESPACE,
    NOT_WELL_FORMED,
    POLICY_VIOLATION,
    RESTRICTED_XML,
    SYSTEM_SHUTDOWN,
    UNSUPPORTED_STANZA_TYPE;

    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    /** The element name, e.g. {@code invalid-from}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code <stream:error><invalid-from xmlns='...'/><text>..</text></stream:error>}. */
    public String toXml(String text) {
        StringBuilder xml = new StringBuilder("<stream:error><").append(elementName()).append(" xmlns='")
                .append(NAMESPACE).append("'/>");
        if (text != null && !text.isEmpty()) {
            xml.append("<text xmlns='").append(NAMESPACE).append("'>").append(XmlText.escape(text)).append("</text>");
        }
        return xml.append("</stream:error>").toString();
    }
}
