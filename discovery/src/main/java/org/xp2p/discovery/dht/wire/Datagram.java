package org.xp2p.discovery.dht.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One DHT datagram: who sent it (identity key and puzzle nonce, unauthenticated until a
 * challenge is answered), the transaction it belongs to, whether the sender serves others
 * or is a client only, and the message. Value.
 */
public record Datagram(long txid, byte[] senderKey, long puzzleNonce, boolean clientOnly, Message message) {

    public Datagram {
        if (senderKey.length != 32) {
            throw new IllegalArgumentException("sender key has " + senderKey.length + " octets, expected 32");
        }
        Objects.requireNonNull(message, "message");
    }

    @Override
    public byte[] senderKey() {
        return senderKey.clone();
    }

    /** The sender key without a defensive copy, for hot paths inside the node. */
    byte[] senderKeyUnsafe() {
        return senderKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && txid == d.txid && Arrays.equals(senderKey, d.senderKey)
                && puzzleNonce == d.puzzleNonce && clientOnly == d.clientOnly && message.equals(d.message);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(txid) * 31 + message.hashCode();
    }
}
