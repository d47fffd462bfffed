package org.xp2p.samples.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.time.packet.Time;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;

/**
 * Asks a peer for its time (XEP-0202) over the device's link to it and works out the clock
 * offset. Thread-safe; {@link #ask} blocks the caller for at most the timeout.
 */
public final class TimeQuery {
    private final LinkLocalDevice device;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param clock   our clock, against which the offset is measured
     * @param timeout how long to wait for the answer (the device's own iq timeout is much longer)
     */
    public TimeQuery(LinkLocalDevice device, Clock clock, Duration timeout) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @throws TimeQueryException when the peer cannot be reached, answers with an error
     *                            (service-unavailable: it does not offer entity time) or does not answer in time
     */
    public PeerTime ask(String peer) throws TimeQueryException, InterruptedException {
        Time request = new Time();
        request.setType(IQ.Type.get);
        try {
            request.setTo(JidCreate.from(peer));
        } catch (XmppStringprepException e) {
            throw new TimeQueryException("'" + peer + "' is not a valid instance name: " + e.getMessage(), e);
        }
        Instant sent = clock.instant();
        IQ answer;
        try {
            answer = device.sendIq(request).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeQueryException(peer + " did not answer the time request within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TimeQueryException("cannot ask " + peer + " for its time: " + cause.getMessage(), cause);
        }
        Instant received = clock.instant();
        if (answer.getType() == IQ.Type.error) {
            StanzaError error = answer.getError();
            String condition = error != null ? error.getCondition().toString() : "an error without a condition";
            String hint = error != null && error.getCondition() == StanzaError.Condition.service_unavailable
                    ? " (it does not offer entity time, XEP-0202)" : "";
            throw new TimeQueryException(peer + " refused the time request: " + condition + hint);
        }
        if (!(answer instanceof Time time)) {
            throw new TimeQueryException(peer + " answered the time request with something else: " + answer.toXML());
        }
        Date peerDate = time.getTime();
        if (peerDate == null) {
            throw new TimeQueryException(peer + " answered without a readable utc time: " + time.getUtc());
        }
        Instant peerTime = peerDate.toInstant();
        Duration roundTrip = Duration.between(sent, received);
        Instant midpoint = sent.plus(roundTrip.dividedBy(2));
        return new PeerTime(peer, peerTime, time.getTzo(), Duration.between(midpoint, peerTime), roundTrip);
    }
}
