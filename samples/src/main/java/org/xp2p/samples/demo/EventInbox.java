package org.xp2p.samples.demo;

import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jxmpp.jid.Jid;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * What each party does with what reaches it: an event is shown and entered in the ledger
 * with the path it took; anything else is counted as unexpected. Called on the device's
 * executor.
 */
final class EventInbox implements StanzaHandler {
    private final Party me;
    private final Console console;
    private final DeliveryLedger ledger;
    private final AtomicInteger unexpected = new AtomicInteger();

    EventInbox(Party me, Console console, DeliveryLedger ledger) {
        this.me = me;
        this.console = console;
        this.ledger = ledger;
    }

    @Override
    public void onMessage(Message message, Arrival arrival) {
        if (!(message.getExtensionElement(CarEventElement.ELEMENT, DemoXml.NAMESPACE) instanceof CarEventElement element)) {
            unexpected.incrementAndGet();
            console.note(me.user(), "ignored a message without an event from " + arrival.peer());
            return;
        }
        CarEvent event = element.event();
        String path = Paths.name(arrival.path());
        ledger.received(event, me.user(), path);
        console.delivery(sender(arrival.peer()), me.user(), path, arrival.protectedByE2e(), event.describe());
    }

    int unexpected() {
        return unexpected.get();
    }

    /**
     * The party's name in an instance name or JID: its user part, less the run's suffix
     * that broker accounts carry ({@code toyota-3e09@localhost/car-demo}).
     */
    static String sender(String peer) {
        int end = peer.indexOf('@');
        end = end > 0 ? end : peer.length();
        int dash = peer.indexOf('-');
        return peer.substring(0, dash > 0 && dash < end ? dash : end);
    }

    static String user(Jid jid) {
        return sender(jid.toString());
    }
}
