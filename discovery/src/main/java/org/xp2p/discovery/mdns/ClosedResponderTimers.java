package org.xp2p.discovery.mdns;

import java.net.InetAddress;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import org.slf4j.LoggerFactory;

/**
 * Keeps closed jmDNS responders from starting timer threads again. jmDNS 3.6.1 drops a
 * responder's task starter at the end of {@code close()} and its factory makes a new
 * one, with two new timer threads that nobody cancels, for any task started afterwards:
 * a resolve that passed our closed check just before {@code close()}, or one of jmDNS's
 * own state tasks (an announcer's last step starts the renewer) that was still running
 * when {@code close()} cancelled its timer. Under load those late starts are common
 * enough to leave threads behind. Through the factory's delegate hook, a starter asked
 * for a responder that is closing or closed is an inert one that starts nothing; live
 * responders get jmDNS's own.
 *
 * <p>Stateless; installed process-wide by {@link #install()} because jmDNS reads the
 * delegate from a static factory. Owns no threads.
 */
final class ClosedResponderTimers implements DNSTaskStarter.Factory.ClassDelegate {

    private ClosedResponderTimers() {
    }

    /** Installs the delegate for the whole process unless another one is installed. */
    static synchronized void install() {
        DNSTaskStarter.Factory.ClassDelegate current = DNSTaskStarter.Factory.classDelegate();
        if (current instanceof ClosedResponderTimers) {
            return;
        }
        if (current != null) {
            LoggerFactory.getLogger(ClosedResponderTimers.class).warn("Another jmDNS task starter delegate is "
                    + "installed; closed responders may start timer threads again");
            return;
        }
        DNSTaskStarter.Factory.setClassDelegate(new ClosedResponderTimers());
    }

    @Override
    public DNSTaskStarter newDNSTaskStarter(JmDNSImpl dns) {
        if (dns.isCanceling() || dns.isCanceled() || dns.isClosing() || dns.isClosed()) {
            LoggerFactory.getLogger(ClosedResponderTimers.class).debug("A task of closed mDNS responder {} started "
                    + "after close(); it runs nowhere", dns.getName());
            return Inert.INSTANCE;
        }
        return null; // jmDNS's own starter
    }

    /** Starts and cancels nothing: what is left to do for a responder that is shut down. */
    private enum Inert implements DNSTaskStarter {
        INSTANCE;

        @Override
        public void purgeTimer() {
        }

        @Override
        public void purgeStateTimer() {
        }

        @Override
        public void cancelTimer() {
        }

        @Override
        public void cancelStateTimer() {
        }

        @Override
        public void startProber() {
        }

        @Override
        public void startAnnouncer() {
        }

        @Override
        public void startRenewer() {
        }

        @Override
        public void startCanceler() {
        }

        @Override
        public void startReaper() {
        }

        @Override
        public void startServiceInfoResolver(ServiceInfoImpl info) {
        }

        @Override
        public void startTypeResolver() {
        }

        @Override
        public void startServiceResolver(String type) {
        }

        @Override
        public void startResponder(DNSIncoming in, InetAddress addr, int port) {
        }
    }
}
