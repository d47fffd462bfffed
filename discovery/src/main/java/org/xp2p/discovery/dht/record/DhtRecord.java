package org.xp2p.discovery.dht.record;

import org.xp2p.discovery.dht.NodeId;

/**
 * What every kind of DHT record states, whatever its content: whose it is (the Ed25519
 * identity key that signs it), where it is stored (a self-certifying key derived from
 * that identity key and a kind-specific prefix), its version and its validity window.
 * The storage rules of {@link RecordStore} and the value lookups read only these, so
 * every kind obeys the same rules. Each kind has its own format octet and its own
 * signature domain, so a signature made for one kind never verifies as another.
 * Implementations are immutable.
 */
public sealed interface DhtRecord permits PresenceRecord, PublicRecord {

    /** The owner's 32-octet Ed25519 identity key; only it can sign the record. */
    byte[] identityKey();

    /** Version: a record with a higher seq replaces one with a lower. */
    long seq();

    long issuedAtMillis();

    long expiresAtMillis();

    /** The storage key, derived from the identity key, so no one else can write under it. */
    NodeId key();
}
