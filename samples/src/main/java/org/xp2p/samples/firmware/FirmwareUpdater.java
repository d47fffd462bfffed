package org.xp2p.samples.firmware;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.w3c.dom.Element;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.SampleXml;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * A device's update agent: takes an offer only when its manifest is signed by the pinned
 * publisher key, is for this product and is newer than the running version; then takes the
 * image chunk by chunk, in order; on commit installs it only if size and SHA-256 match the
 * manifest. Anything else is refused with its {@link Refusal}, and the transfer is dropped.
 * Requests that did not arrive end-to-end encrypted are not considered at all.
 *
 * <p>Called on the device's executor, possibly for several peers at once: all state is
 * guarded by this object's lock.
 */
public final class FirmwareUpdater implements StanzaHandler {
    /** What happened to one offer, as this device saw it. */
    public record Event(String from, SignedManifest offer, UpdateResult result) {
    }

    /** An accepted offer whose image is arriving. */
    private static final class Transfer {
        final SignedManifest offer;
        final ByteArrayOutputStream image;

        Transfer(SignedManifest offer) {
            this.offer = offer;
            this.image = new ByteArrayOutputStream((int) offer.manifest().size());
        }
    }

    private final String product;
    private final byte[] pinnedPublisher;
    private final long maxImageOctets;
    private final Map<String, Transfer> transfers = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private FirmwareVersion running;
    private byte[] installedImage = new byte[0];

    /**
     * @param pinnedPublisher the one publisher key (32 octets) whose updates this device takes
     * @param maxImageOctets  the largest image it has room for (at most 2 GiB, held in memory here)
     */
    public FirmwareUpdater(String product, FirmwareVersion running, byte[] pinnedPublisher, long maxImageOctets) {
        this.product = Objects.requireNonNull(product, "product");
        this.running = Objects.requireNonNull(running, "running");
        if (pinnedPublisher.length != IdentityKey.PUBLIC_OCTETS) {
            throw new IllegalArgumentException("a publisher key has " + IdentityKey.PUBLIC_OCTETS + " octets");
        }
        if (maxImageOctets < 1 || maxImageOctets > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxImageOctets " + maxImageOctets + " is not 1..2 GiB");
        }
        this.pinnedPublisher = pinnedPublisher.clone();
        this.maxImageOctets = maxImageOctets;
    }

    public synchronized FirmwareVersion running() {
        return running;
    }

    public synchronized byte[] installedImage() {
        return installedImage.clone();
    }

    /** Every finished offer so far: installed or refused. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void onMessage(Message message, Arrival arrival) {
        // updates travel as iqs only
    }

    @Override
    public synchronized IQ onIqRequest(IQ request, Arrival arrival) {
        if (!(request instanceof UnparsedIQ payload) || !FirmwareWire.NAMESPACE.equals(request.getChildElementNamespace())
                || !arrival.protectedByE2e()) {
            return null; // service-unavailable
        }
        String peer = arrival.peer();
        Element element;
        try {
            element = FirmwareWire.XML.read(payload.getContent());
        } catch (SampleXml.InvalidXmlException e) {
            return refuse(request, peer, Optional.ofNullable(transfers.remove(peer)).map(t -> t.offer).orElse(null),
                    Refusal.MALFORMED, e.getMessage());
        }
        return switch (element.getLocalName()) {
            case "offer" -> offer(request, peer, FirmwareWire.readOffer(element));
            case "chunk" -> chunk(request, peer, Long.parseLong(element.getAttribute("offset")),
                    FirmwareWire.readChunk(element));
            case "commit" -> commit(request, peer);
            default -> refuse(request, peer, null, Refusal.MALFORMED, "<" + element.getLocalName() + "/> is not a request");
        };
    }

    private IQ offer(IQ request, String peer, SignedManifest offer) {
        transfers.remove(peer); // a new offer ends any transfer this peer had going
        FirmwareManifest m = offer.manifest();
        if (!Arrays.equals(offer.publisher(), pinnedPublisher)) {
            return refuse(request, peer, offer, Refusal.WRONG_SIGNER, "the manifest is signed by "
                    + SignedManifest.fingerprint(offer.publisher()) + ", not by the pinned publisher "
                    + SignedManifest.fingerprint(pinnedPublisher));
        }
        if (!offer.signatureVerifies()) {
            return refuse(request, peer, offer, Refusal.BAD_SIGNATURE,
                    "the signature is not the publisher's over this manifest");
        }
        if (!m.product().equals(product)) {
            return refuse(request, peer, offer, Refusal.WRONG_PRODUCT, "the update is for " + m.product()
                    + ", this device is " + product);
        }
        if (m.version().compareTo(running) <= 0) {
            return refuse(request, peer, offer, Refusal.NOT_NEWER, "version " + m.version()
                    + " is not newer than the running " + running);
        }
        if (m.size() > maxImageOctets) {
            return refuse(request, peer, offer, Refusal.TOO_LARGE, "the image has " + m.size()
                    + " octets, this device takes at most " + maxImageOctets);
        }
        transfers.put(peer, new Transfer(offer));
        return FirmwareWire.ack(request, 0);
    }

    private IQ chunk(IQ request, String peer, long offset, byte[] data) {
        Transfer t = transfers.get(peer);
        if (t == null) {
            return refuse(request, peer, null, Refusal.OUT_OF_ORDER, "a chunk without an accepted offer; send <offer/> first");
        }
        if (offset != t.image.size()) {
            transfers.remove(peer);
            return refuse(request, peer, t.offer, Refusal.OUT_OF_ORDER, "a chunk at offset " + offset
                    + " where " + t.image.size() + " was next");
        }
        if (t.image.size() + (long) data.length > t.offer.manifest().size()) {
            transfers.remove(peer);
            return refuse(request, peer, t.offer, Refusal.TOO_LARGE, "the chunk takes the image past the manifest's "
                    + t.offer.manifest().size() + " octets");
        }
        t.image.writeBytes(data);
        return FirmwareWire.ack(request, t.image.size());
    }

    private IQ commit(IQ request, String peer) {
        Transfer t = transfers.remove(peer);
        if (t == null) {
            return refuse(request, peer, null, Refusal.OUT_OF_ORDER, "a commit without an accepted offer");
        }
        FirmwareManifest m = t.offer.manifest();
        byte[] image = t.image.toByteArray();
        if (image.length != m.size()) {
            return refuse(request, peer, t.offer, Refusal.TRUNCATED, "received " + image.length + " of the manifest's "
                    + m.size() + " octets");
        }
        byte[] hash = FirmwareManifest.sha256(image);
        if (!Arrays.equals(hash, m.sha256())) {
            return refuse(request, peer, t.offer, Refusal.HASH_MISMATCH, "the image's SHA-256 is "
                    + SignedManifest.fingerprint(hash) + ", the manifest says " + SignedManifest.fingerprint(m.sha256()));
        }
        if (m.version().compareTo(running) <= 0) { // another transfer may have installed a newer one meanwhile
            return refuse(request, peer, t.offer, Refusal.NOT_NEWER, "version " + m.version()
                    + " is not newer than the running " + running);
        }
        running = m.version();
        installedImage = image;
        events.add(new Event(peer, t.offer, UpdateResult.installed("version " + m.version() + ", " + image.length
                + " octets, size and SHA-256 verified")));
        return FirmwareWire.ack(request, image.length);
    }

    private IQ refuse(IQ request, String peer, SignedManifest offer, Refusal why, String detail) {
        events.add(new Event(peer, offer, UpdateResult.refused(why, detail)));
        return FirmwareWire.refuse(request, why, detail);
    }
}
