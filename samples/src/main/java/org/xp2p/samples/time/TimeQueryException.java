package org.xp2p.samples.time;

/** A time request that got no usable answer; the message says which peer and why. */
public final class TimeQueryException extends Exception {
    private static final long serialVersionUID = 1L;

    public TimeQueryException(String message) {
        super(message);
    }

    public TimeQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
