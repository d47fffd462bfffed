package org.xp2p.samples.firmware;

/** Why a device refused an update; it travels as the first word of the iq error's text. */
public enum Refusal {
    /** The manifest names a key other than the device's pinned publisher. */
    WRONG_SIGNER,
    /** The signature is not the named key's over the manifest. */
    BAD_SIGNATURE,
    /** The update is for another product. */
    WRONG_PRODUCT,
    /** The version is not newer than the one running. */
    NOT_NEWER,
    /** The image is larger than the device takes. */
    TOO_LARGE,
    /** A chunk, commit or offer that does not fit the transfer in progress. */
    OUT_OF_ORDER,
    /** Fewer octets arrived than the manifest says. */
    TRUNCATED,
    /** The image's SHA-256 is not the manifest's. */
    HASH_MISMATCH,
    /** A payload that does not validate against firmware.xsd. */
    MALFORMED
}
