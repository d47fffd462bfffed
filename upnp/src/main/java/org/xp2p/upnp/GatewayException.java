package org.xp2p.upnp;

/** A gateway did not give us what we asked for. The subclasses say whether it was silent, refused, or talked nonsense. */
public class GatewayException extends Exception {
    private static final long serialVersionUID = 1L;

    public GatewayException(String message) {
        super(message);
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
