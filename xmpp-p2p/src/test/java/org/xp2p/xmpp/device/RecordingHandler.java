package org.xp2p.xmpp.device;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.xp2p.xmpp.Arrival;
import org.xp2p.xmpp.StanzaHandler;

/** Keeps every message the device delivered, and answers iq requests with an empty result. */
final class RecordingHandler implements StanzaHandler {
    record Received(Message message, Arrival arrival) {
    }

    private final List<Received> messages = new ArrayList<>();
    private final List<Arrival> iqs = new ArrayList<>();

    @Override
    public synchronized void onMessage(Message message, Arrival arrival) {
        messages.add(new Received(message, arrival));
        notifyAll();
    }

    @Override
    public synchronized IQ onIqRequest(IQ request, Arrival arrival) {
        iqs.add(arrival);
        notifyAll();
        return IQ.createResultIQ(request);
    }

    synchronized List<Received> messages() {
        return List.copyOf(messages);
    }

    /** The numbers after {@code prefix} in the bodies of the messages received so far, in arrival order. */
    synchronized List<Integer> numbersAfter(String prefix) {
        List<Integer> got = new ArrayList<>();
        for (Received r : messages) {
            String body = r.message().getBody();
            if (body != null && body.startsWith(prefix)) {
                got.add(Integer.parseInt(body.substring(prefix.length())));
            }
        }
        return got;
    }

    synchronized List<Arrival> iqs() {
        return List.copyOf(iqs);
    }

    synchronized void clear() {
        messages.clear();
        iqs.clear();
    }

    /** Waits for a message matching {@code p}; the bound only guards against hangs. */
    synchronized Received await(Predicate<Received> p, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            for (Received r : messages) {
                if (p.test(r)) {
                    return r;
                }
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no matching message within " + seconds + " s; got " + messages.size());
            }
            wait(Math.min(left, 200));
        }
    }

    /** Waits until {@code n} messages arrived. */
    synchronized void awaitCount(int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (messages.size() < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("only " + messages.size() + " of " + n + " messages within " + seconds + " s");
            }
            wait(Math.min(left, 200));
        }
    }
}
