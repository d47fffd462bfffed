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
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.xmpp.link.InboundAuthenticator;
import org.xp2p.xmpp.link.StreamErrorCondition;
import org.xp2p.xmpp.link.StreamFault;
import org.xp2p.xmpp.peers.PeerDirectory;

/**
 * Stage one of direct-link authentication: the stream header's {@code from} must be the
 * full JID of a contact (a subscription we approved, or an account whose contact offer we
 * imported) that has published endpoints, in presence through the broker with
 * {@code <p2p/>} or in its signed DHT record (see {@link PublishedEndpoints}), and the
 * TCP source must be the address that {@link AddressChoice} says that contact connects
 * from (its local address behind our gateway, its external address otherwise). Before
 * refusing a contact for its address, the device may look its record up once more
 * ({@code lookUpAgain}): it may have moved while the broker was down. Anything else is
 * {@code invalid-from}. Stage two (every stanza encrypted and signed) is the device's
 * inbound pipeline.
 *
 * <p>Thread-safe; runs on link reader threads, reads the directory, and waits (bounded)
 * for {@code lookUpAgain}.
 */
public final class DirectLinkAuthenticator implements InboundAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLinkAuthenticator.class);

    private final PeerDirectory directory;
    private final Predicate<Jid> approvedContact;
    private final Supplier<P2pElement> ours;
    private final Predicate<String> lookUpAgain;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param approvedContact whether a JID is a contact whose presence subscription is approved
     * @param ours            our currently published {@code <p2p/>}
     * @param lookUpAgain     fetches a contact's published endpoints again; true when something new came in
     */
    public DirectLinkAuthenticator(PeerDirectory directory, Predicate<Jid> approvedContact, Supplier<P2pElement> ours,
            Predicate<String> lookUpAgain) {
        this.directory = directory;
        this.approvedContact = approvedContact;
        this.ours = ours;
        this.lookUpAgain = lookUpAgain;
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
        Optional<InetAddress> expected = expectedSource(claimed);
        if ((expected.isEmpty() || !expected.get().equals(source)) && lookUpAgain.test(claimed)) {
            expected = expectedSource(claimed);
        }
        if (expected.isEmpty()) {
            throw refuse("no presence with <p2p/> and no DHT record from this contact", source, claimed);
        }
        if (!expected.get().equals(source)) {
            throw refuse("source " + source.getHostAddress() + " is not the address it publishes ("
                    + expected.map(InetAddress::getHostAddress).orElse("none") + ")", source, claimed);
        }
        return claimed;
    }

    private Optional<InetAddress> expectedSource(String claimed) {
        return PublishedEndpoints.of(directory, claimed).flatMap(p -> AddressChoice.expectedSource(ours.get(), p));
    }

    private StreamFault refuse(String why, InetAddress source, String claimed) {
        refused.incrementAndGet();
        LOG.info("Refused a direct link from {} claiming {}: {}", source.getHostAddress(), claimed, why);
        return new StreamFault(StreamErrorCondition.INVALID_FROM, why);
    }
}
