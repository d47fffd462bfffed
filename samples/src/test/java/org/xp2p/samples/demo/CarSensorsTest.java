package org.xp2p.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarSensorsTest {
    private static final Instant START = Instant.parse("2026-11-21T08:00:00Z");

    private static List<CarEvent> drive(CarSensors car, int seconds) {
        List<CarEvent> events = new ArrayList<>();
        for (int t = 0; t < seconds; t++) {
            events.addAll(car.tick(START.plusSeconds(t), 1));
        }
        return events;
    }

    @Test
    void theSameSeedDrivesTheSameWay() {
        assertEquals(drive(new CarSensors("ford", Road.E18, 42), 40), drive(new CarSensors("ford", Road.E18, 42), 40));
        assertNotEquals(drive(new CarSensors("ford", Road.E18, 42), 40).stream().map(CarEvent::at).toList(),
                drive(new CarSensors("ford", Road.E18, 43), 40).stream().map(CarEvent::at).toList());
    }

    @Test
    void everyRunShowsSpeedingThenADoorOpenedAndClosedEarly() {
        for (long seed = 0; seed < 50; seed++) {
            List<CarEvent> events = drive(new CarSensors("toyota", Road.RING_3, seed), 20);
            List<CarEvent.Kind> kinds = events.stream().map(CarEvent::kind).toList();
            assertEquals(CarEvent.Kind.SPEED_LIMIT, kinds.get(0), "seed " + seed + ": " + events);
            int opened = kinds.indexOf(CarEvent.Kind.DOOR_OPENED);
            assertTrue(opened > 0 && kinds.indexOf(CarEvent.Kind.DOOR_CLOSED) > opened, "seed " + seed + ": " + events);
            CarEvent speeding = events.get(0);
            assertTrue(speeding.speed().getAsInt() > speeding.limit().getAsInt());
        }
    }

    @Test
    void eventIdsAreUniquePerCar() {
        List<CarEvent> events = drive(new CarSensors("ford", Road.E18, 5), 120);
        assertEquals(events.size(), events.stream().map(CarEvent::id).distinct().count());
    }
}
