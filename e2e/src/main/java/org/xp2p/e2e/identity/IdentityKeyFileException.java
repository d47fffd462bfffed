package org.xp2p.e2e.identity;

import java.io.IOException;

/** An identity key file that cannot be read; {@link #problem()} says which way it failed. */
public final class IdentityKeyFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The ways reading an identity key file fails. */
    public enum Problem {
        /** Not an xp2p identity key file at all (wrong magic). */
        NOT_AN_IDENTITY_FILE,
        /** A format version this code does not know. */
        UNSUPPORTED_VERSION,
        /** Shorter than the format: cut off while copying or writing. */
        TRUNCATED,
        /** The passcode does not open the file (or the KDF salt/parameters were altered). */
        WRONG_PASSCODE,
        /** The passcode is right but the encrypted key, nonce or header was altered. */
        TAMPERED
    }

    private final Problem problem;

    IdentityKeyFileException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
