package org.xp2p.samples.time;

import java.time.Clock;
import java.util.Calendar;
import java.util.Objects;
import java.util.TimeZone;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.time.packet.Time;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * Answers XEP-0202 time requests from its clock (a device's own, or a shifted one to show
 * an offset); every other request gets {@code service-unavailable}. Stateless apart from
 * the clock; thread-safe.
 */
public final class TimeService implements StanzaHandler {
    private final Clock clock;

    public TimeService(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void onMessage(Message message, Arrival arrival) {
        // this device only answers questions
    }

    @Override
    public IQ onIqRequest(IQ request, Arrival arrival) {
        if (!(request instanceof Time) || request.getType() != IQ.Type.get) {
            return null;
        }
        Calendar now = Calendar.getInstance(TimeZone.getTimeZone(clock.getZone()));
        now.setTimeInMillis(clock.millis());
        Time answer = new Time(now);
        // XEP-0082 form (+hh:mm); Smack's own rendering of the zone drops a digit (+0:00)
        String offset = clock.getZone().getRules().getOffset(clock.instant()).getId();
        answer.setTzo(offset.equals("Z") ? "+00:00" : offset);
        answer.setType(IQ.Type.result);
        answer.setStanzaId(request.getStanzaId());
        answer.setTo(request.getFrom());
        return answer;
    }
}
