package org.xp2p.e2e;

import java.util.List;
import java.util.function.Supplier;
import org.jivesoftware.smack.packet.Stanza;
import org.xp2p.e2e.crypto.RemoteKey;

/**
 * A received stanza from {@link E2eEndpoint#decryptDeferringSignature}: either its final
 * {@link Inbound} already, or decrypted and rebuilt with only its Ed25519 signature left to
 * check, which {@link E2eEndpoint#verifySignatures} does for many stanzas at once. Until the
 * signature verified the stanza counts for nothing: its counter is not recorded and it is
 * not handed out. {@link #result()} checks a signature still open on its own, so batching
 * is only ever an optimisation. Thread-safe.
 */
public final class PendingInbound {
    private final E2eEndpoint endpoint;
    private final Unverified unverified;
    private Inbound result; // guarded by this

    /** What an accepted stanza waits for: the signature of its plaintext by the key that decrypted it. */
    record Unverified(Stanza received, Stanza rebuilt, Inbound.Protection protection, RemoteKey key, byte[] plaintext,
                      byte[] signature, ReplayWindow window) {
    }

    private PendingInbound(E2eEndpoint endpoint, Unverified unverified, Inbound result) {
        this.endpoint = endpoint;
        this.unverified = unverified;
        this.result = result;
    }

    static PendingInbound done(Inbound result) {
        return new PendingInbound(null, null, result);
    }

    static PendingInbound unverified(E2eEndpoint endpoint, Unverified unverified) {
        return new PendingInbound(endpoint, unverified, null);
    }

    /** Whether the signature is still to be checked. */
    public synchronized boolean awaitsSignature() {
        return result == null;
    }

    /** The stanza's fate; checks its signature now if no batch has yet. */
    public Inbound result() {
        synchronized (this) {
            if (result != null) {
                return result;
            }
        }
        endpoint.verifySignatures(List.of(this));
        synchronized (this) {
            return result;
        }
    }

    Unverified unverified() {
        return unverified;
    }

    /**
     * Settles the stanza with {@code outcome} unless another thread already did: the outcome
     * records the counter, which must happen once only.
     */
    synchronized void settle(Supplier<Inbound> outcome) {
        if (result == null) {
            result = outcome.get();
        }
    }
}
