package org.xp2p.schemas;

import java.util.List;
import java.util.Optional;

/**
 * The XML vocabularies of xp2p, each with the namespace we send and, for the
 * Neuro-Foundation ones, the older and newer names under which deployed devices send the
 * same elements.
 */
public enum Xp2pNamespace {
    P2P("urn:nf:iot:p2p:1.0", "urn:ieee:iot:p2p:1.0", "urn:nfi:iot:p2p:1.0"),
    E2E("urn:nf:iot:e2e:1.0", "urn:ieee:iot:e2e:1.0", "urn:nfi:iot:e2e:1.0"),
    /** xp2p's own extension for proving identity keys on secured link-local streams. */
    LINK_IDENTITY("urn:xp2p:link-identity:1");

    private final String uri;
    private final List<String> accepted;

    Xp2pNamespace(String uri, String... aliases) {
        this.uri = uri;
        List<String> all = new java.util.ArrayList<>(List.of(uri));
        all.addAll(List.of(aliases));
        this.accepted = List.copyOf(all);
    }

    /** The namespace xp2p writes. */
    public String uri() {
        return uri;
    }

    /** Every namespace read as this vocabulary, the one we write first. */
    public List<String> accepted() {
        return accepted;
    }

    /** The vocabulary a namespace URI belongs to, if it is one of ours or an alias of one. */
    public static Optional<Xp2pNamespace> of(String namespaceUri) {
        for (Xp2pNamespace ns : values()) {
            if (ns.accepted.contains(namespaceUri)) {
                return Optional.of(ns);
            }
        }
        return Optional.empty();
    }

    /** The canonical form of an alias; any other URI is returned unchanged. */
    public static String canonical(String namespaceUri) {
        return of(namespaceUri).map(Xp2pNamespace::uri).orElse(namespaceUri);
    }
}
