package org.xp2p.discovery.dht;

/** An armoured contact offer that cannot be read or whose signature does not verify. */
public final class ContactOfferException extends Exception {

    private static final long serialVersionUID = 1L;

    public ContactOfferException(String message) {
        super(message);
    }
}
