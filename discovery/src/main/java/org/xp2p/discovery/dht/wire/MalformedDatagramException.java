package org.xp2p.discovery.dht.wire;

/** A datagram or record that cannot be decoded; says which rule it broke and where. */
public final class MalformedDatagramException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DropReason reason;

    public MalformedDatagramException(DropReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DropReason reason() {
        return reason;
    }
}
