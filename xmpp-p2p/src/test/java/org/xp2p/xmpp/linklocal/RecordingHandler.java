package org.xp2p.xmpp.linklocal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/** Queues received messages and answers XEP-0092 version requests as "xp2p-test". Thread-safe. */
final class RecordingHandler implements StanzaHandler {
    record Received(Message message, Arrival arrival) {
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(Message message, Arrival arrival) {
        messages.add(new Received(message, arrival));
    }

    @Override
    public IQ onIqRequest(IQ request, Arrival arrival) {
        if (request instanceof Version) {
            return Version.createResultFor(request, new Version("xp2p-test", "1.0", arrival.path().name()));
        }
        return null;
    }
}
