package org.xp2p.upnp;

/** The gateway answered something we cannot parse or that does not answer our request. */
public final class MalformedReplyException extends GatewayException {
    private static final long serialVersionUID = 1L;

    public MalformedReplyException(String message) {
        super(message);
    }

    public MalformedReplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
