package org.xp2p.discovery.mdns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.impl.JmDNSImpl;
import org.junit.jupiter.api.Test;

/**
 * jmDNS disposes a responder's task starter (and its two timer threads) at the end of
 * close(), but creates a new one, with two new timer threads that nobody cancels, for
 * any task started later: a resolve that passed our closed check just before, or one of
 * its own state tasks (an announcer's last step starts the renewer) still running when
 * close() cancelled its timer. Such late tasks must start no thread.
 */
class ClosedResponderTimersTest {

    private static List<String> timers(String host) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("JmDNS(" + host)).sorted().toList();
    }

    @Test
    void tasksStartedAfterCloseLeaveNoTimerThreads() throws Exception {
        ClosedResponderTimers.install();
        String host = "late" + ProcessHandle.current().pid();
        JmDNSImpl dns = (JmDNSImpl) JmDNS.create(InetAddress.getByName("127.0.0.1"), host);
        assertTrue(timers(host).size() >= 2, "a running responder has its timers: " + timers(host));
        dns.close();
        // what an in-flight resolve and a still-running state task do once close() is over
        dns.requestServiceInfo(MdnsPresence.SERVICE_TYPE, "someone@" + host, false, 50);
        dns.startRenewer();
        dns.startAnnouncer();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!timers(host).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), timers(host));
    }
}
