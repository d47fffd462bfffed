package org.xp2p.discovery.dht;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity keys admitted to a private DHT network: only their owners may enter
 * routing tables, be answered, or have records stored. Importing a contact offer adds to
 * it. Thread-safe: the application adds while the node's loop reads.
 */
public final class AllowList {

    private final Set<ByteBuffer> keys = ConcurrentHashMap.newKeySet();

    public void add(byte[] identityKey) {
        if (identityKey.length != DomainSignature.PUBLIC_KEY_OCTETS) {
            throw new IllegalArgumentException("identity key has " + identityKey.length + " octets, expected 32");
        }
        keys.add(ByteBuffer.wrap(identityKey.clone()));
    }

    public void remove(byte[] identityKey) {
        keys.remove(ByteBuffer.wrap(identityKey));
    }

    public boolean contains(byte[] identityKey) {
        return keys.contains(ByteBuffer.wrap(identityKey));
    }

    public int size() {
        return keys.size();
    }
}
