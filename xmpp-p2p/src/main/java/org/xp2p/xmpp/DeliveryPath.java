package org.xp2p.xmpp;

/** Which way a stanza travelled. */
public enum DeliveryPath {
    /** Through the XMPP broker. */
    BROKER,
    /** Over a direct link opened from {@code <p2p/>} endpoints. */
    DIRECT_LINK,
    /** Over a serverless XEP-0174 stream to a peer found by mDNS. */
    LINK_LOCAL
}
