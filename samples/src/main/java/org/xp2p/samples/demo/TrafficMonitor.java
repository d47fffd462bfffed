package org.xp2p.samples.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xp2p.discovery.dht.PublicRecords;
import org.xp2p.discovery.dht.record.PublicRecord;

/**
 * The traffic monitor's job: read each car's public traffic record from the DHT (anyone
 * may; only the car could have written it), keep the newest sample per car, and average
 * speeds per road. Only the scenario thread calls it.
 */
final class TrafficMonitor {
    static final String TOPIC = "traffic";
    private static final long READ_SECONDS = 5;

    /** Speeds seen on one road, one sample per (car, record seq). */
    record RoadStats(String road, int samples, double averageKmh, Map<String, Integer> latestByCar) {
    }

    private final PublicRecords dht;
    private final Map<String, Long> lastSeqByCar = new HashMap<>();
    private final Map<String, List<Integer>> speedsByRoad = new TreeMap<>();
    private final Map<String, TreeMap<String, Integer>> latestByRoad = new TreeMap<>();
    private int rejected;

    TrafficMonitor(PublicRecords dht) {
        this.dht = dht;
    }

    /**
     * Reads {@code car}'s record; a sample newer than the last one read is counted.
     *
     * @return the sample read, or empty when the car has published nothing yet
     */
    Optional<TrafficSample> read(String car, byte[] carIdentityKey) throws InterruptedException {
        Optional<PublicRecord> record;
        try {
            record = dht.read(carIdentityKey, TOPIC).get(READ_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
        if (record.isEmpty()) {
            return Optional.empty();
        }
        TrafficSample sample;
        try {
            sample = TrafficSample.fromXml(new String(record.get().payload(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            rejected++;
            return Optional.empty();
        }
        if (!sample.car().equals(car)) {
            // signed by the car's key, yet naming another car: the car is confused, not us
            rejected++;
            return Optional.empty();
        }
        Long last = lastSeqByCar.put(car, record.get().seq());
        if (last == null || last < record.get().seq()) {
            speedsByRoad.computeIfAbsent(sample.road(), r -> new ArrayList<>()).add(sample.speed());
            latestByRoad.computeIfAbsent(sample.road(), r -> new TreeMap<>()).put(car, sample.speed());
        }
        return Optional.of(sample);
    }

    List<RoadStats> roads() {
        List<RoadStats> out = new ArrayList<>();
        speedsByRoad.forEach((road, speeds) -> out.add(new RoadStats(road, speeds.size(),
                speeds.stream().mapToInt(Integer::intValue).average().orElse(0), Map.copyOf(latestByRoad.get(road)))));
        return out;
    }

    /** Cars whose record has been read at least once. */
    int carsSeen() {
        return lastSeqByCar.size();
    }

    /** Records that verified in the DHT but did not hold a valid sample for their car. */
    int rejected() {
        return rejected;
    }

    String averagesLine() {
        StringBuilder b = new StringBuilder();
        for (RoadStats r : roads()) {
            if (b.length() > 0) {
                b.append("  |  ");
            }
            b.append(String.format(Locale.ROOT, "%s: avg %.0f km/h over %d samples %s", r.road(), r.averageKmh(),
                    r.samples(), r.latestByCar()));
        }
        return b.length() == 0 ? "no traffic records yet" : b.toString();
    }
}
