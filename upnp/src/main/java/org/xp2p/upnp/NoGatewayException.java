package org.xp2p.upnp;

/** Nobody answered within the timeout: there is no gateway speaking this protocol where we looked. */
public final class NoGatewayException extends GatewayException {
    private static final long serialVersionUID = 1L;

    public NoGatewayException(String message) {
        super(message);
    }

    public NoGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
