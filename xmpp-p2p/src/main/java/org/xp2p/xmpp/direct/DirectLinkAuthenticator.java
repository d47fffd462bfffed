package org.xp2p.xmpp.direct;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.xmpp.link.InboundAuthenticator;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * Stage one of direct-link authentication: the stream header's {@code from} must be the
 * full JID of a contact whose subscription we approved, who has sent us presence through
 * the broker with {@code <p2p/>}, and the TCP source must be the address that
 * {@link AddressChoice} says that contact connects from (its local address behind our
 * gateway, its external address otherwise). Anything else is {@code invalid-from}.
 * Stage two (every stanza encrypted and signed) is the device's inbound pipeline.
 *
 * <p>Thread-safe; runs on link reader threads and only reads the directory.
 */
public final class DirectLinkAuthenticator implements InboundAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLinkAuthenticator.class);

    private final PeerDirectory directory;
    private final Predicate<Jid> approvedContact;
    private final Supplier<P2pElement> ours;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param approvedContact whether a JID is a contact whose presence subscription is approved
     * @param ours            our currently published {@code <p2p/>}
     */
    public DirectLinkAuthenticator(PeerDirectory directory, Predicate<Jid> approvedContact, Supplier<P2pElement> ours) {
        this.directory = directory;
        this.approvedContact = approvedContact;
        this.ours = ours;
    }

    /** How many inbound links were refused. */
    public long refused() {
        return refused.get();
    }

    @Override
    public String authenticate(String claimed, InetAddress source) throws StreamFault {
        if (claimed == null || claimed.isEmpty()) {
            throw refuse("the stream header names no sender (from)", source, claimed);
        }
        Jid jid;
        try {
            jid = JidCreate.from(claimed);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw refuse("from is not a JID", source, claimed);
        }
        if (jid.getResourceOrNull() == null) {
            throw refuse("from must be a full JID", source, claimed);
        }
        if (!approvedContact.test(jid)) {
            throw refuse("not a contact with an approved subscription", source, claimed);
        }
        Optional<PeerInfo> presence = directory.get(claimed, PeerInfo.Source.BROKER_PRESENCE);
        if (presence.isEmpty() || presence.get().externalEndpoint().isEmpty()) {
            throw refuse("no presence with <p2p/> from this contact", source, claimed);
        }
        Optional<InetAddress> expected = AddressChoice.expectedSource(ours.get(), presence.get());
        if (expected.isEmpty() || !expected.get().equals(source)) {
            throw refuse("source " + source.getHostAddress() + " is not the address it publishes ("
                    + expected.map(InetAddress::getHostAddress).orElse("none") + ")", source, claimed);
        }
        return claimed;
    }

    private StreamFault refuse(String why, InetAddress source, String claimed) {
        refused.incrementAndGet();
        LOG.info("Refused a direct link from {} claiming {}: {}", source.getHostAddress(), claimed, why);
        return new StreamFault(StreamErrorCondition.INVALID_FROM, why);
    }
}
