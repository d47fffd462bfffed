package org.xp2p.discovery.dht.wire;

import java.net.InetSocketAddress;
import java.util.List;
import org.xp2p.discovery.dht.Contact;
import org.xp2p.discovery.dht.NodeId;

/**
 * The bodies of the DHT's datagram types: five requests, their replies, and the dial-back
 * probe (neither: it answers a DIAL_BACK out of band, from another port). Every reply
 * echoes the address the request came from, so a node learns how others see it.
 * Values; the byte layout lives in {@link MessageCodec}.
 */
public sealed interface Message {

    /** Whether a node answers this (requests) or matches it to a pending transaction (replies). */
    boolean isRequest();

    /** A liveness check that doubles as the admission challenge: answer by signing the nonce. */
    record Ping(byte[] nonce) implements Message {
        public boolean isRequest() {
            return true;
        }
    }

    /** Signature over {@code nonce || responder identity key} under {@code DomainSignature.CHALLENGE}. */
    record Pong(InetSocketAddress observed, byte[] signature) implements Message {
        public boolean isRequest() {
            return false;
        }
    }

    record FindNode(NodeId target) implements Message {
        public boolean isRequest() {
            return true;
        }
    }

    /** Contacts close to the target and a write token bound to the requester's address. */
    record Nodes(InetSocketAddress observed, byte[] token, List<Contact> contacts) implements Message {
        public boolean isRequest() {
            return false;
        }
    }

    record FindValue(NodeId key) implements Message {
        public boolean isRequest() {
            return true;
        }
    }

    /** The stored record under the key ({@code null} when none) plus closer contacts that fit. */
    record Value(InetSocketAddress observed, byte[] token, byte[] record, List<Contact> contacts) implements Message {
        public boolean isRequest() {
            return false;
        }
    }

    record Store(NodeId key, byte[] token, byte[] record) implements Message {
        public boolean isRequest() {
            return true;
        }
    }

    /** {@code status} is a {@link StoreStatus} code. */
    record StoreAck(InetSocketAddress observed, int status) implements Message {
        public boolean isRequest() {
            return false;
        }
    }

    /**
     * Asks the receiver to send a {@link DialProbe} carrying {@code nonce} to the address this
     * request came from (never to any other: there is no address field), from a port other than
     * the one it answers on. The request is padded so that the reply and the probe together
     * are smaller than it: a spoofed source gains no amplification.
     */
    record DialBack(byte[] nonce) implements Message {
        public boolean isRequest() {
            return true;
        }
    }

    /** {@code status} is {@link #PROBE_SENT} or {@link #REFUSED} (rate limit). */
    record DialBackAck(InetSocketAddress observed, int status) implements Message {
        public static final int PROBE_SENT = 0;
        public static final int REFUSED = 1;

        public boolean isRequest() {
            return false;
        }
    }

    /** The unsolicited datagram a dial-back sends; its arrival proves the address takes inbound datagrams. */
    record DialProbe(byte[] nonce) implements Message {
        public boolean isRequest() {
            return false;
        }
    }
}
