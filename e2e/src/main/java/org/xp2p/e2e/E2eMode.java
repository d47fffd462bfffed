package org.xp2p.e2e;

/** How strictly a device insists on end-to-end encryption. */
public enum E2eMode {
    /** Encrypt whenever the peer publishes a usable key; accept plaintext only from peers that publish none. */
    ENCRYPT_IF_POSSIBLE,
    /** Never send or accept a plaintext message or iq. */
    REQUIRE_E2E,
    /** As {@link #REQUIRE_E2E}, and only with the post-quantum types ml128, ml192, ml256. */
    REQUIRE_POST_QUANTUM
}
