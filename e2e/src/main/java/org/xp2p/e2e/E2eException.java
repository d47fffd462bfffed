package org.xp2p.e2e;

/** A stanza that cannot be sent as the policy demands; the message says what to do about it. */
public final class E2eException extends Exception {
    public E2eException(String message) {
        super(message);
    }

    public E2eException(String message, Throwable cause) {
        super(message, cause);
    }
}
