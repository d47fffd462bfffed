package org.xp2p.xmpp.link;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code <stream:stream>} opening tag, ours or the peer's. Every attribute is optional:
 * libpurple sends no version, Adium no from or to. Immutable.
 *
 * @param from       the sender's claimed instance name, or null
 * @param to         the addressed instance name, or null
 * @param version    e.g. {@code 1.0}, or null
 * @param id         the stream id, or null
 * @param namespaces the namespace declarations on the tag: prefix ("" for the default) to URI
 */
public record StreamHeader(String from, String to, String version, String id, Map<String, String> namespaces) {

    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    public static final String CLIENT_NS = "jabber:client";

    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=/>]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");

    public StreamHeader {
        namespaces = Map.copyOf(namespaces);
    }

    /** The header we send: {@code jabber:client}, the stream prefix, and the given attributes. */
    public static StreamHeader ours(String from, String to, String version, String id) {
        return new StreamHeader(from, to, version, id, Map.of("", CLIENT_NS, "stream", STREAMS_NS));
    }

    /** True for version 1.0 and later: such a peer expects {@code <stream:features/>}. */
    public boolean versionAtLeastOne() {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt((dot < 0 ? version : version.substring(0, dot)).trim()) >= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public Optional<String> fromOptional() {
        return Optional.ofNullable(from);
    }

    /**
     * Reads an opening tag such as {@code <stream:stream xmlns='jabber:client' ...>}.
     *
     * @throws StreamFault not-well-formed for a broken tag, invalid-namespace when the root is
     *                     not the streams namespace's {@code stream} element
     */
    public static StreamHeader parse(String tag) throws StreamFault {
        String body = tag.substring(1, tag.length() - 1).strip();
        int nameEnd = 0;
        while (nameEnd < body.length() && !Character.isWhitespace(body.charAt(nameEnd))) {
            nameEnd++;
        }
        String qname = body.substring(0, nameEnd);
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> namespaces = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(body);
        int at = nameEnd;
        while (at < body.length()) {
            while (at < body.length() && Character.isWhitespace(body.charAt(at))) {
                at++;
            }
            if (at >= body.length()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "cannot read the stream header's attributes: "
                        + abbreviate(tag));
            }
            String name = m.group(1);
            String value;
            try {
                value = XmlText.unescape(m.group(3) != null ? m.group(3) : m.group(4));
            } catch (IllegalArgumentException e) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "stream header: " + e.getMessage());
            }
            if (attributes.putIfAbsent(name, value) != null) {
                throw new StreamFault(StreamErrorCondition.NOT_WELL_FORMED, "attribute " + name + " twice in the header");
            }
            if (name.equals("xmlns")) {
                namespaces.put("", value);
            } else if (name.startsWith("xmlns:")) {
                namespaces.put(name.substring(6), value);
            }
            at = m.end();
        }
        int colon = qname.indexOf(':');
        String prefix = colon < 0 ? "" : qname.substring(0, colon);
        String local = colon < 0 ? qname : qname.substring(colon + 1);
        if (!local.equals("stream") || !STREAMS_NS.equals(namespaces.get(prefix))) {
            throw new StreamFault(StreamErrorCondition.INVALID_NAMESPACE, "the stream must open with <stream:stream xmlns:stream='"
                    + STREAMS_NS + "'>, not " + abbreviate(tag));
        }
        return new StreamHeader(attributes.get("from"), attributes.get("to"), attributes.get("version"),
                attributes.get("id"), namespaces);
    }

    /** The opening tag, preceded by the XML declaration. */
    public String toXml() {
        StringBuilder xml = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?><stream:stream");
        for (Map.Entry<String, String> ns : namespaces.entrySet()) {
            xml.append(ns.getKey().isEmpty() ? " xmlns" : " xmlns:" + ns.getKey()).append("='")
                    .append(XmlText.escape(ns.getValue())).append('\'');
        }
        attribute(xml, "from", from);
        attribute(xml, "to", to);
        attribute(xml, "version", version);
        attribute(xml, "id", id);
        return xml.append('>').toString();
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append(' ').append(name).append("='").append(XmlText.escape(value)).append('\'');
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
