package org.xp2p.samples.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xp2p.samples.common.LoopbackFleet;

/**
 * Group sends between real secured devices on loopback. The porch light is configured but
 * never started: it stands for a member that is offline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupMessengerTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final List<String> RUNNING = List.of("hub", "lamp-1", "lamp-2", "fountain", "fridge", "oven", "shed-lamp");
    private GroupDirectory directory;
    private final Map<String, GroupInbox> inboxes = new LinkedHashMap<>();
    private LoopbackFleet fleet;

    @BeforeAll
    void start() throws Exception {
        // the shipped house, plus a shed lamp that one test takes off the network
        directory = GroupDirectory.parse(new String(GroupDirectory.class.getResourceAsStream("home.groups").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8) + "device shed-lamp home/shed/lamp\ngroup shed shed-lamp lamp-1\n");
        LoopbackFleet.Builder b = LoopbackFleet.builder("grouptest");
        for (String name : RUNNING) {
            GroupInbox inbox = new GroupInbox();
            inboxes.put(name, inbox);
            b.device(name, inbox);
        }
        b.contacts("hub", RUNNING.stream().filter(n -> !n.equals("hub")).toArray(String[]::new));
        b.contacts("lamp-1", "lamp-2", "fountain");
        fleet = b.start();
    }

    @AfterAll
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private GroupMessenger messenger(String from) {
        return new GroupMessenger(fleet.device(from), from, directory, fleet::instanceOf, BOUND);
    }

    /** How many copies of {@code text} each running device holds once {@code expected} copies arrived. */
    private Map<String, Long> copiesOf(String text, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        Map<String, Long> counts = new LinkedHashMap<>();
        while (true) {
            counts.clear();
            for (Map.Entry<String, GroupInbox> e : inboxes.entrySet()) {
                long n = e.getValue().copies().stream().filter(c -> c.text().equals(text)).count();
                if (n > 0) {
                    counts.put(e.getKey(), n);
                }
            }
            if (counts.values().stream().mapToLong(Long::longValue).sum() >= expected || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        }
        Thread.sleep(200); // a duplicate or stray copy would arrive right behind the expected ones
        counts.clear();
        for (Map.Entry<String, GroupInbox> e : inboxes.entrySet()) {
            long n = e.getValue().copies().stream().filter(c -> c.text().equals(text)).count();
            if (n > 0) {
                counts.put(e.getKey(), n);
            }
        }
        return counts;
    }

    @Test
    void eachGroupMemberGetsExactlyOneEncryptedCopyAndNonMembersNone() throws Exception {
        String text = "lights on " + UUID.randomUUID();
        GroupDelivery d = messenger("hub").send("group:garden-lights", text);
        assertEquals(List.of("lamp-1", "lamp-2"), d.delivered());
        assertTrue(d.complete(), d.failed().toString());
        assertEquals(Map.of("lamp-1", 1L, "lamp-2", 1L), copiesOf(text, 2));
        for (String member : List.of("lamp-1", "lamp-2")) {
            GroupInbox.Copy copy = inboxes.get(member).copies().stream().filter(c -> c.text().equals(text)).findFirst()
                    .orElseThrow();
            assertTrue(copy.protectedByE2e(), "copy at " + member + " came without E2E");
            assertEquals(fleet.instanceOf("hub"), copy.from());
            assertEquals("group:garden-lights", copy.selector());
        }
    }

    @Test
    void hierarchySelectionsReachTheRightDevices() throws Exception {
        String kitchen = "kitchen check " + UUID.randomUUID();
        assertEquals(List.of("fridge", "oven"), messenger("hub").send("children:home/kitchen", kitchen).delivered());
        assertEquals(Map.of("fridge", 1L, "oven", 1L), copiesOf(kitchen, 2));

        // the sender is left out of its own siblings
        String siblings = "siblings " + UUID.randomUUID();
        assertEquals(List.of("lamp-2", "fountain"), messenger("lamp-1").send("siblings:home/garden/lamp-1", siblings)
                .delivered());
        assertEquals(Map.of("lamp-2", 1L, "fountain", 1L), copiesOf(siblings, 2));

        String garden = "garden " + UUID.randomUUID();
        GroupDelivery d = messenger("hub").send("descendants:home/garden", garden);
        assertEquals(List.of("lamp-1", "lamp-2", "fountain"), d.delivered());
        assertEquals(Map.of("lamp-1", 1L, "lamp-2", 1L, "fountain", 1L), copiesOf(garden, 3));
    }

    @Test
    void anUnknownGroupIsAClearErrorAndNothingIsSent() throws Exception {
        String text = "nobody " + UUID.randomUUID();
        UnknownAudienceException e = assertThrows(UnknownAudienceException.class,
                () -> messenger("hub").send("group:attic-lights", text));
        assertEquals("no group named 'attic-lights'; configured groups: [garden-lights, kitchen, outside, shed]", e.getMessage());
        assertEquals(Map.of(), copiesOf(text, 0));
    }

    @Test
    void anOfflineMemberIsReportedWhileTheOthersGetTheirCopies() throws Exception {
        String text = "dusk " + UUID.randomUUID();
        GroupDelivery d = messenger("hub").send("group:outside", text);
        assertEquals(List.of("lamp-1", "lamp-2", "fountain"), d.delivered());
        assertEquals(List.of("porch"), List.copyOf(d.failed().keySet()));
        String why = d.failed().get("porch");
        assertTrue(why.contains(fleet.instanceOf("porch")) && why.contains("is advertised on this network"), why);
        assertEquals(Map.of("lamp-1", 1L, "lamp-2", 1L, "fountain", 1L), copiesOf(text, 3));
    }

    @Test
    void aMemberThatLeavesTheNetworkIsReportedOnTheNextSend() throws Exception {
        String before = "before " + UUID.randomUUID();
        assertEquals(List.of("shed-lamp", "lamp-1"), messenger("hub").send("group:shed", before).delivered());
        assertEquals(Map.of("shed-lamp", 1L, "lamp-1", 1L), copiesOf(before, 2));

        fleet.stop("shed-lamp", "hub");
        String after = "after " + UUID.randomUUID();
        GroupDelivery d = messenger("hub").send("group:shed", after);
        assertEquals(List.of("lamp-1"), d.delivered());
        String why = d.failed().get("shed-lamp");
        assertTrue(why != null && why.contains(fleet.instanceOf("shed-lamp")), d.failed().toString());
        assertEquals(Map.of("lamp-1", 1L), copiesOf(after, 1));
    }
}
