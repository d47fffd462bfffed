package org.xp2p.discovery.dht;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Who a DHT node is: the device's long-term Ed25519 identity key (owned at rest by the
 * e2e module, handed in here as Bouncy Castle parameters), the node ID derived from it and
 * the solved ID puzzle. Immutable; the private key never leaves this object except to sign.
 */
public final class NodeIdentity {

    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] publicKeyOctets;
    private final NodeId id;
    private final long puzzleNonce;

    private NodeIdentity(Ed25519PrivateKeyParameters privateKey, long puzzleNonce) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey();
        this.publicKeyOctets = publicKey.getEncoded();
        this.id = NodeId.ofPublicKey(publicKeyOctets);
        this.puzzleNonce = puzzleNonce;
    }

    /** Wraps an existing identity key, solving the ID puzzle for it (tens of ms at 16 bits). */
    public static NodeIdentity of(Ed25519PrivateKeyParameters identityKey, int puzzleDifficultyBits) {
        Objects.requireNonNull(identityKey, "identityKey");
        byte[] pub = identityKey.generatePublicKey().getEncoded();
        return new NodeIdentity(identityKey, IdPuzzle.solve(pub, puzzleDifficultyBits));
    }

    /** Wraps an identity key whose puzzle nonce was solved and saved earlier; checks it. */
    public static NodeIdentity of(Ed25519PrivateKeyParameters identityKey, long puzzleNonce, int puzzleDifficultyBits) {
        byte[] pub = identityKey.generatePublicKey().getEncoded();
        if (!IdPuzzle.holds(pub, puzzleNonce, puzzleDifficultyBits)) {
            throw new IllegalArgumentException("puzzle nonce " + puzzleNonce + " does not solve the "
                    + puzzleDifficultyBits + "-bit ID puzzle for this key; solve it again with of(key, difficulty)");
        }
        return new NodeIdentity(identityKey, puzzleNonce);
    }

    /** A fresh random identity, for tests, simulations and throw-away nodes. */
    public static NodeIdentity generate(SecureRandom random, int puzzleDifficultyBits) {
        return of(new Ed25519PrivateKeyParameters(random), puzzleDifficultyBits);
    }

    public NodeId id() {
        return id;
    }

    public byte[] publicKey() {
        return publicKeyOctets.clone();
    }

    public long puzzleNonce() {
        return puzzleNonce;
    }

    /** Signs {@code payload} under a domain of {@link DomainSignature}. */
    public byte[] sign(String domain, byte[] payload) {
        return DomainSignature.sign(privateKey, publicKey, domain, payload);
    }

    /** This identity as a contact reachable at {@code address}. */
    public Contact asContact(java.net.InetSocketAddress address) {
        return new Contact(id, publicKeyOctets, puzzleNonce, address);
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + id + "]";
    }
}
