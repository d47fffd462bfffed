package org.xp2p.samples.groups;

/** A selector that names no configured group, place or device; the message lists what exists. */
public final class UnknownAudienceException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnknownAudienceException(String message) {
        super(message);
    }
}
