package org.xp2p.samples.firmware;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;

/**
 * Pushes a signed update to one device over the link to it: the offer, the image in
 * chunks (each acknowledged before the next, so a refusal stops the transfer at once),
 * then the commit. It sends whatever image it is given, so that a test can send a tampered
 * or shortened one; the device decides. Thread-safe; {@link #push} blocks the caller.
 */
public final class FirmwarePublisher {
    private final LinkLocalDevice device;
    private final Duration stepTimeout;

    /** @param stepTimeout how long each request waits for the device's answer */
    public FirmwarePublisher(LinkLocalDevice device, Duration stepTimeout) {
        this.device = Objects.requireNonNull(device, "device");
        this.stepTimeout = Objects.requireNonNull(stepTimeout, "stepTimeout");
    }

    /**
     * @return the device's verdict
     * @throws IOException when the device cannot be reached, does not answer, or answers
     *                     with something other than the firmware protocol
     */
    public UpdateResult push(String peer, SignedManifest offer, byte[] image) throws IOException, InterruptedException {
        UpdateResult refused = step(peer, FirmwareWire.offer(offer));
        if (refused != null) {
            return refused;
        }
        for (int from = 0; from < image.length; from += FirmwareWire.CHUNK_OCTETS) {
            int length = Math.min(FirmwareWire.CHUNK_OCTETS, image.length - from);
            refused = step(peer, FirmwareWire.chunk(from, image, from, length));
            if (refused != null) {
                return refused;
            }
        }
        refused = step(peer, FirmwareWire.commit());
        return refused != null ? refused : UpdateResult.installed(peer + " runs " + offer.manifest().version() + " now");
    }

    /** Null when the device acknowledged the request, else its refusal. */
    private UpdateResult step(String peer, IQ request) throws IOException, InterruptedException {
        try {
            request.setTo(JidCreate.from(peer));
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("'" + peer + "' is not a valid instance name", e);
        }
        IQ answer;
        try {
            answer = device.sendIq(request).get(stepTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(peer + " did not answer within " + stepTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot reach " + peer + ": " + cause.getMessage(), cause);
        }
        if (answer.getType() == IQ.Type.result) {
            return null;
        }
        StanzaError error = answer.getError();
        String text = error != null && error.getDescriptiveText() != null ? error.getDescriptiveText() : "";
        int colon = text.indexOf(": ");
        if (colon > 0) {
            try {
                return UpdateResult.refused(Refusal.valueOf(text.substring(0, colon)), text.substring(colon + 2));
            } catch (IllegalArgumentException notOurs) {
                // fall through: not an answer of the firmware protocol
            }
        }
        throw new IOException(peer + " answered " + (error != null ? error.getCondition() : "an error")
                + (text.isEmpty() ? "" : " (" + text + ")") + ": it does not run the firmware protocol");
    }
}
