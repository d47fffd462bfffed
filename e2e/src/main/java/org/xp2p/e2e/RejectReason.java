package org.xp2p.e2e;

/** Why a received message or iq was not accepted. */
public enum RejectReason {
    /** The encrypted element was present but invalid (bad attribute, bad base64). */
    MALFORMED,
    /** Plaintext where the policy, or the keys the peer publishes, call for encryption. */
    PLAINTEXT_REFUSED,
    /** Encrypted under a key type weaker than the policy, or not post-quantum when required. */
    BELOW_POLICY,
    /** aes/cha under x25519/x448: nothing would detect tampering, and the policy refuses that. */
    UNAUTHENTICATED_CIPHER,
    /** The peer publishes no key of the type the stanza names: re-synchronise keys. */
    UNKNOWN_SENDER_KEY,
    /** We have no current or previous key of the type the stanza names. */
    NO_LOCAL_KEY,
    /**
     * No combination of our current or previous key and the peer's known keys decrypts and
     * verifies it: tampered, forged, or encrypted for a generation of our keys that rotation
     * has discarded.
     */
    UNDECRYPTABLE,
    /**
     * Decrypted and authenticated by the {@code acp} tag under the keys it names, but its
     * signature does not verify with the sender's key: forged or altered, not a matter of
     * keys we have not learnt yet.
     */
    BAD_SIGNATURE,
    /** Decrypted and verified, but the content is not the stanza it should be. */
    BAD_PLAINTEXT,
    /** A counter already accepted under this peer key. */
    REPLAYED,
    /** A counter below the replay window of this peer key. */
    TOO_OLD
}
