package org.xp2p.xmpp.routing;

/** A send that could not be delivered on any path; the message says why and what was tried. */
public final class SendFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public SendFailedException(String message) {
        super(message);
    }

    public SendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
