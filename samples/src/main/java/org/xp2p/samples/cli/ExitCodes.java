package org.xp2p.samples.cli;

/**
 * The exit statuses of the device commands ({@code keys}, {@code offer}, {@code run},
 * {@code peers}, {@code send}), shared so that scripts can tell the failures apart.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The operation ran but failed (e.g. a message was not confirmed in time). */
    public static final int FAILED = 1;
    /** Wrong options or arguments (picocli's own usage status). */
    public static final int USAGE = 2;
    /** The configuration file or an offer file is invalid, missing or tampered. */
    public static final int BAD_INPUT = 3;
    /** The identity key file cannot be unlocked: missing, wrong passcode, altered. */
    public static final int IDENTITY = 4;
    /** The device could not start: address not ours, port taken, broker login refused. */
    public static final int START_FAILED = 5;
    /** The peer was not seen (not running, other network, misspelt JID). */
    public static final int PEER_UNKNOWN = 6;
    /** The peer was seen but could not be reached. */
    public static final int PEER_UNREACHABLE = 7;
    /** The peer refused us, or we refused it (identity not on an allow-list). */
    public static final int PEER_REFUSED = 8;

    /** The lines the commands append to their help. */
    static final String HELP = "Exit status: 0 done, 1 failed, 2 usage error, 3 bad config or offer file, "
            + "4 identity key cannot be unlocked, 5 device cannot start, 6 peer unknown, 7 peer unreachable, "
            + "8 peer refused.";

    private ExitCodes() {
    }
}
