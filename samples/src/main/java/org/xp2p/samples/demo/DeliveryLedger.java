package org.xp2p.samples.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who should get each event and who did: the demo's proof that every event reached
 * exactly the authorised parties, once each, and nobody else. Thread-safe (synchronised):
 * cars record what they send and receivers what they get, on their own threads.
 */
final class DeliveryLedger {

    /** One copy of an event that reached a party, and how. */
    record Receipt(String eventId, String recipient, String path) {
    }

    private final Map<String, Set<String>> expected = new LinkedHashMap<>();
    private final Map<String, CarEvent> events = new HashMap<>();
    private final List<Receipt> receipts = new ArrayList<>();

    synchronized void expect(CarEvent event, Set<String> recipients) {
        expected.put(event.id(), Set.copyOf(recipients));
        events.put(event.id(), event);
    }

    synchronized void received(CarEvent event, String recipient, String path) {
        receipts.add(new Receipt(event.id(), recipient, path));
    }

    /** True when every expected copy has arrived (there may still be wrong ones). */
    synchronized boolean allArrived() {
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            for (String r : e.getValue()) {
                if (count(e.getKey(), r) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    synchronized Verdict verdict() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            for (String r : e.getValue()) {
                long n = count(e.getKey(), r);
                if (n == 0) {
                    problems.add(e.getKey() + " never reached " + r);
                } else if (n > 1) {
                    problems.add(e.getKey() + " reached " + r + " " + n + " times");
                }
            }
        }
        for (Receipt r : receipts) {
            Set<String> allowed = expected.get(r.eventId());
            if (allowed == null) {
                problems.add(r.recipient() + " got " + r.eventId() + ", which no car sent");
            } else if (!allowed.contains(r.recipient())) {
                problems.add(r.recipient() + " got " + r.eventId() + " but is not authorised");
            }
        }
        Map<String, Map<String, Integer>> byRecipientAndPath = new TreeMap<>();
        for (Receipt r : receipts) {
            byRecipientAndPath.computeIfAbsent(r.recipient(), k -> new TreeMap<>()).merge(r.path(), 1, Integer::sum);
        }
        Map<CarEvent.Kind, Integer> byKind = new TreeMap<>();
        for (CarEvent e : events.values()) {
            byKind.merge(e.kind(), 1, Integer::sum);
        }
        if (expected.isEmpty()) {
            problems.add("no car reported any event; run longer (--duration)");
        }
        return new Verdict(expected.size(), byKind, byRecipientAndPath, List.copyOf(receipts), problems);
    }

    /** What the ledger concludes; {@code problems} is empty when all went as it should. */
    record Verdict(int eventsSent, Map<CarEvent.Kind, Integer> eventsByKind,
                   Map<String, Map<String, Integer>> receivedByRecipientAndPath, List<Receipt> receipts,
                   List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }

        int receivedBy(String recipient) {
            return receivedByRecipientAndPath.getOrDefault(recipient, Map.of()).values().stream()
                    .mapToInt(Integer::intValue).sum();
        }
    }

    private long count(String eventId, String recipient) {
        return receipts.stream().filter(r -> r.eventId().equals(eventId) && r.recipient().equals(recipient)).count();
    }
}
