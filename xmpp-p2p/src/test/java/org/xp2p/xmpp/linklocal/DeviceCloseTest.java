package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** close() stops everything a device started: no link, timer, executor or jmDNS thread outlives it. */
class DeviceCloseTest {

    private static List<String> leftovers(String tag) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("xp2p-") && n.contains(tag) || n.startsWith("JmDNS(" + tag)
                        || n.startsWith("xp2p-link-"))
                .sorted().toList();
    }

    @Test
    void closedDevicesLeaveNoThreadsBehind() throws Exception {
        String tag = "close" + ProcessHandle.current().pid();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        RecordingHandler inbox = new RecordingHandler();
        PresenceEvents seen = new PresenceEvents();
        LinkLocalDevice a = LinkLocalDevice.builder("a@" + tag, lo).hostName(tag + "a").handler(new RecordingHandler())
                .presenceListener(seen).start();
        LinkLocalDevice b = LinkLocalDevice.builder("b@" + tag, lo).hostName(tag + "b").handler(inbox).start();
        seen.await(b.instance(), "added", Duration.ofSeconds(30));
        Message m = StanzaBuilder.buildMessage().to(JidCreate.from(b.instance())).setBody("x").build();
        a.send(m).get(30, TimeUnit.SECONDS);
        inbox.messages.poll(30, TimeUnit.SECONDS);
        List<String> running = leftovers(tag);
        assertTrue(running.stream().anyMatch(n -> n.startsWith("xp2p-link-reader"))
                && running.stream().anyMatch(n -> n.startsWith("JmDNS(")), "threads to stop: " + running);
        a.close();
        b.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!leftovers(tag).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), leftovers(tag));
    }
}
