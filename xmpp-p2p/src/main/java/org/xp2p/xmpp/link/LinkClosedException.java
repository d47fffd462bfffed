package org.xp2p.xmpp.link;

/** A stanza could not be written because its link closed first; the message says why. */
public final class LinkClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    public LinkClosedException(String message) {
        super(message);
    }
}
