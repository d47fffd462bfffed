package org.xp2p.samples.cli;

/**
 * A failure the user can act on: the message says what went wrong and what to do next;
 * the status is one of {@link ExitCodes}. Commands print the message and exit with it.
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    CliException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }
}
