package org.xp2p.xmpp.linklocal;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * The handler of the devices the namespace tests run in child JVMs: prints each message
 * as a {@code MESSAGE peer path e2e body} line for the test to read, and answers a
 * version request with the path it came by.
 */
final class PrintingHandler implements StanzaHandler {
    @Override
    public void onMessage(Message message, Arrival arrival) {
        System.out.println("MESSAGE " + arrival.peer() + " " + arrival.path() + " " + arrival.protectedByE2e() + " "
                + message.getBody());
    }

    @Override
    public IQ onIqRequest(IQ request, Arrival arrival) {
        if (request instanceof Version) {
            return Version.createResultFor(request, new Version("xp2p-device", "1.0", arrival.path().name()));
        }
        return null;
    }
}
