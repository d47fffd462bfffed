package org.xp2p.samples.groups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/**
 * A group member's receiving side: keeps every message with who sent it, which selector it
 * was addressed through and whether it arrived end-to-end encrypted. Called on the device's
 * executor; thread-safe.
 */
public final class GroupInbox implements StanzaHandler {
    /** One received copy; {@code selector} is null for a message not sent to a group. */
    public record Copy(String from, String selector, String text, boolean protectedByE2e) {
    }

    private static final QName ADDRESSED = new QName(GroupMessenger.NAMESPACE, "addressed");

    private final List<Copy> copies = new ArrayList<>();

    @Override
    public synchronized void onMessage(Message message, Arrival arrival) {
        String selector = message.getExtension(ADDRESSED) instanceof StandardExtensionElement addressed
                ? addressed.getAttributeValue("selector") : null;
        copies.add(new Copy(arrival.peer(), selector, message.getBody(), arrival.protectedByE2e()));
        notifyAll();
    }

    public synchronized List<Copy> copies() {
        return List.copyOf(copies);
    }

    /** Waits until at least {@code count} copies are in; returns all of them. */
    public synchronized List<Copy> await(int count, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (copies.size() < count) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                break;
            }
            wait(Math.max(1, leftNanos / 1_000_000));
        }
        return List.copyOf(copies);
    }
}
