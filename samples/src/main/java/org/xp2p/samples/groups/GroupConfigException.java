package org.xp2p.samples.groups;

/** A groups file that cannot be used; the message names the line and what is wrong with it. */
public final class GroupConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public GroupConfigException(String message) {
        super(message);
    }
}
