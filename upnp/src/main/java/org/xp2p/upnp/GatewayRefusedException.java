package org.xp2p.upnp;

/**
 * The gateway understood us and said no, with a protocol-specific result code (PCP result code,
 * NAT-PMP result code, UPnP errorCode).
 */
public final class GatewayRefusedException extends GatewayException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final boolean protocolUnsupported;

    public GatewayRefusedException(String message, int code, boolean protocolUnsupported) {
        super(message);
        this.code = code;
        this.protocolUnsupported = protocolUnsupported;
    }

    public int code() {
        return code;
    }

    /** The gateway answers, but not in this protocol or version (try the next method). */
    public boolean protocolUnsupported() {
        return protocolUnsupported;
    }
}
