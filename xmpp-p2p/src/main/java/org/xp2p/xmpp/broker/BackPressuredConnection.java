package org.xp2p.xmpp.broker;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * Smack's TCP connection with its reader held back while Smack's ordered listener thread
 * lags: at most {@code maxQueued} stanzas read from the broker wait there, so a contact (or
 * anyone the broker routes to us) sending faster than the owner handles slows the broker's
 * TCP stream to us instead of filling our heap.
 *
 * <p>Why here: Smack hands sync stanza listeners and sync iq request handlers (ours, which
 * pass everything to the owner's bounded lane, and the roster's) to one ordered runner per
 * connection ({@code AsyncButOrdered}) with an unbounded queue. When the owner's lane is
 * full only that runner waits; the reader would go on parsing and queueing. Behind every
 * stanza the reader has dispatched we queue a marker on that same runner; stanzas whose
 * marker has not run yet are what Smack holds for us. After dispatching a stanza the reader
 * waits, in {@link #processStanza}, while {@code maxQueued} of them are held. The owner's
 * lane bounds the rest, so the broker path holds at most the lane's bound plus
 * {@code maxQueued} received stanzas.
 *
 * <p>Options weighed: registering our listener with {@code addStanzaListener} makes the
 * reader wait for it, but costs a hop to a pool thread and a semaphore for every stanza,
 * never sees iq requests (they go only to request handlers, through the ordered runner),
 * and would let messages overtake iq requests read before them. Blocking inside a listener's
 * filter deadlocks (filters run under the listener map's lock, which the runner takes too).
 * Holding back the socket's input stream (a socket factory) would count bytes, not the
 * stanzas queued, and still need this count. {@code processStanza} runs on the reader thread under no Smack lock, for every stanza
 * kind; the common case costs two uncontended lock turns and one marker per stanza, and
 * delivery stays as it was (same thread, same order).
 *
 * <p>Deadlock freedom: the reader waits only for the ordered runner; the runner waits only
 * for the owner's lane; the lane drains on the device's pool and inbound thread, which never
 * wait for a stanza from the broker (responses are matched asynchronously). The stanza just
 * parsed is dispatched before the reader waits, so an iq result already read reaches the
 * Smack collector waiting for it; later ones wait behind the backlog like everything else
 * (a Smack request made while the device is a full bound behind, such as a login on
 * reconnection or a roster change, may then time out and be retried, never hangs; an
 * application handler that blocks the inbound thread on a reply stalls the device anyway,
 * as replies are matched there). The wait ends when the connection shuts down
 * ({@link #shutdown()}, {@link #instantShutdown()}: disconnection, and a loss the writer
 * or the owner detects while the reader is held, both go through them) and for good on
 * {@link #stopHolding()}: Smack closes the socket and then waits (up to its reply timeout)
 * for the reader to finish, and its reader object, stream parser included, serves the next
 * connection, so a reader still held past its connection's end would stall the shutdown
 * and could later read the new stream beside the new reader. It is held again from the
 * next {@link #connectInternal()}.
 *
 * <p>Threads: Smack's reader waits here; markers run on Smack's ordered runner; any thread
 * may call {@link #stopHolding()} and {@link #queued()}. Thread-safe.
 */
final class BackPressuredConnection extends XMPPTCPConnection {
    private final int maxQueued;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    /** Stanzas dispatched whose marker has not run on the ordered runner yet; guarded by lock. */
    private int queued;
    /** The reader waits for room; guarded by lock. */
    private boolean readerWaits;
    /** The reader may be held: from a connect until that connection shuts down; guarded by lock. */
    private boolean holding;
    /** Never held again ({@link #stopHolding()}); guarded by lock. */
    private boolean stopped;

    BackPressuredConnection(XMPPTCPConnectionConfiguration config, int maxQueued) {
        super(config);
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
        }
        this.maxQueued = maxQueued;
    }

    /** On the reader thread, under no Smack lock: dispatches as Smack does, then waits while too much is queued. */
    @Override
    protected void processStanza(Stanza stanza) throws InterruptedException {
        super.processStanza(stanza);
        lock.lock();
        try {
            queued++;
        } finally {
            lock.unlock();
        }
        ASYNC_BUT_ORDERED.performAsyncButOrdered(this, this::markerRan);
        lock.lock();
        try {
            if (queued < maxQueued || !holding) {
                return;
            }
            readerWaits = true;
            try {
                while (queued >= maxQueued && holding) {
                    room.await();
                }
            } finally {
                readerWaits = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** On Smack's ordered runner, after everything queued there with the stanza before it. */
    private void markerRan() {
        lock.lock();
        try {
            queued--;
            if (readerWaits && queued < maxQueued) {
                room.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stanzas read and queued on Smack's ordered listener thread, not yet through it. */
    int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Releases a waiting reader and never holds one again; for the owner's close(). */
    void stopHolding() {
        lock.lock();
        try {
            stopped = true;
            release();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void connectInternal() throws SmackException, IOException, XMPPException, InterruptedException {
        lock.lock();
        try {
            holding = !stopped;
        } finally {
            lock.unlock();
        }
        super.connectInternal();
    }

    @Override
    protected void shutdown() {
        releaseReader();
        super.shutdown();
    }

    @Override
    public void instantShutdown() {
        releaseReader();
        super.instantShutdown();
    }

    private void releaseReader() {
        lock.lock();
        try {
            release();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds lock. */
    private void release() {
        holding = false;
        room.signalAll();
    }
}
