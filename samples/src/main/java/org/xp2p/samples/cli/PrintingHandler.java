package org.xp2p.samples.cli;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * The command-line device's inbox: prints every message with the path it took and whether
 * it came end-to-end encrypted, and answers pings (which {@code xp2p send} uses to confirm
 * delivery). Runs on the device's executor.
 */
final class PrintingHandler implements StanzaHandler {
    private static final String PING_NAMESPACE = "urn:xmpp:ping";
    private final DeviceLog log;

    PrintingHandler(DeviceLog log) {
        this.log = log;
    }

    @Override
    public void onMessage(Message message, Arrival arrival) {
        if (message.getBody() == null) {
            return;
        }
        log.event("message from " + arrival.peer() + " via " + arrival.path() + (arrival.protectedByE2e()
                ? " (e2e encrypted, signature verified)" : " (NOT end-to-end encrypted)") + ": " + message.getBody());
    }

    @Override
    public IQ onIqRequest(IQ request, Arrival arrival) {
        if (PING_NAMESPACE.equals(request.getChildElementNamespace()) && request.getType() == IQ.Type.get) {
            return IQ.createResultIQ(request);
        }
        return null;
    }
}
