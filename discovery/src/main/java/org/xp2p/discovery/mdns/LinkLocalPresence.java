package org.xp2p.discovery.mdns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a device announces as its XEP-0174 {@code _presence._tcp} service: the instance
 * name {@code user@machine}, the port of its link-local stream server and the TXT facts.
 * Immutable; {@link #txt()} gives the pairs in the order deployed clients need.
 *
 * @param instance the DNS-SD instance name, {@code user@machine}; also the JID on streams
 * @param port     the link server's TCP port (SRV port and {@code port.p2pj})
 * @param status   avail, away or dnd
 * @param first    given name ({@code 1st}); may be empty
 * @param last     family name; may be empty
 * @param jid      the device's XMPP JID, or null
 * @param nick     nickname, or null
 * @param message  free-text status message ({@code msg}), or null
 * @param caps     XEP-0115 entity capabilities, or null
 */
public record LinkLocalPresence(String instance, int port, PresenceStatus status, String first, String last,
        String jid, String nick, String message, Caps caps) {

    /** The TXT record format version; deployed clients need it and need it first. */
    public static final String TXT_VERSION = "1";

    /** XEP-0115 caps: {@code node}, {@code hash} (e.g. sha-1) and {@code ver}. */
    public record Caps(String node, String hash, String ver) {
        public Caps {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(ver, "ver");
        }
    }

    public LinkLocalPresence {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(status, "status");
        first = first == null ? "" : first;
        last = last == null ? "" : last;
        if (instance.isBlank()) {
            throw new IllegalArgumentException("the instance name must not be blank; use user@machine");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port (1..65535)");
        }
        TxtRecord.encode(pairs(port, status, first, last, jid, nick, message, caps)); // fails early, naming the pair
    }

    /** An available presence with only the required facts. */
    public static LinkLocalPresence available(String instance, int port) {
        return new LinkLocalPresence(instance, port, PresenceStatus.AVAIL, "", "", null, null, null, null);
    }

    public LinkLocalPresence withStatus(PresenceStatus newStatus, String newMessage) {
        return new LinkLocalPresence(instance, port, newStatus, first, last, jid, nick, newMessage, caps);
    }

    public LinkLocalPresence withInstance(String newInstance) {
        return new LinkLocalPresence(newInstance, port, status, first, last, jid, nick, message, caps);
    }

    public LinkLocalPresence withNames(String newFirst, String newLast, String newNick) {
        return new LinkLocalPresence(instance, port, status, newFirst, newLast, jid, newNick, message, caps);
    }

    public LinkLocalPresence withJid(String newJid) {
        return new LinkLocalPresence(instance, port, status, first, last, newJid, nick, message, caps);
    }

    public LinkLocalPresence withCaps(Caps newCaps) {
        return new LinkLocalPresence(instance, port, status, first, last, jid, nick, message, newCaps);
    }

    /** The TXT pairs: txtvers first, then status, 1st, last, port.p2pj, then the optional ones. */
    public LinkedHashMap<String, String> txt() {
        return pairs(port, status, first, last, jid, nick, message, caps);
    }

    /** The encoded TXT record. */
    public byte[] txtBytes() {
        return TxtRecord.encode(txt());
    }

    private static LinkedHashMap<String, String> pairs(int port, PresenceStatus status, String first, String last,
            String jid, String nick, String message, Caps caps) {
        LinkedHashMap<String, String> txt = new LinkedHashMap<>();
        txt.put("txtvers", TXT_VERSION);
        txt.put("status", status.txtValue());
        txt.put("1st", first);
        txt.put("last", last);
        txt.put("port.p2pj", Integer.toString(port));
        putIfPresent(txt, "jid", jid);
        putIfPresent(txt, "nick", nick);
        putIfPresent(txt, "msg", message);
        if (caps != null) {
            txt.put("node", caps.node());
            txt.put("hash", caps.hash());
            txt.put("ver", caps.ver());
        }
        return txt;
    }

    private static void putIfPresent(Map<String, String> txt, String key, String value) {
        if (value != null) {
            txt.put(key, value);
        }
    }
}
