package org.xp2p.samples.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The only simulated part of the demo: a car's speedometer, GPS and door switch. The car
 * drives in legs: each leg has a target speed it approaches with some noise, and after a
 * few legs it parks, opens a door, closes it and drives on. The first leg is over the
 * limit and the second one parks, so every run shows every kind of event early; the rest
 * follows from the seed. Not thread-safe: one car's ticks come from one thread.
 */
final class CarSensors {
    private static final double KM_PER_DEGREE_LAT = 111.2;
    private static final int PARKED_TICKS = 4;

    private final String car;
    private final Road road;
    private final Random random;
    private double speed;
    private double lat;
    private double lon;
    private int leg;
    private int legTicksLeft;
    private double target;
    private int parkedTick = -1;
    private long seq;

    CarSensors(String car, Road road, long seed) {
        this.car = car;
        this.road = road;
        this.random = new Random(seed);
        this.lat = road.startLat();
        this.lon = road.startLon();
        this.speed = road.limitKmh() * 0.7;
        startLeg();
    }

    String car() {
        return car;
    }

    Road road() {
        return road;
    }

    /** Advances the car by {@code seconds} and returns the events it caused. */
    List<CarEvent> tick(Instant now, double seconds) {
        List<CarEvent> events = new ArrayList<>();
        boolean wasSpeeding = Math.round(speed) > road.limitKmh();
        if (parkedTick >= 0) {
            park(now, events);
        } else {
            double step = (target - speed) * 0.5 + random.nextGaussian() * 2;
            speed = Math.max(0, speed + Math.max(-15, Math.min(15, step)));
            if (--legTicksLeft <= 0) {
                startLeg();
            }
        }
        int kmh = (int) Math.round(speed);
        if (kmh > road.limitKmh() && !wasSpeeding) {
            events.add(CarEvent.speeding(car, ++seq, road.name(), kmh, road.limitKmh(), now));
        }
        double km = speed * seconds / 3600;
        double heading = Math.toRadians(road.headingDeg());
        lat += km * Math.cos(heading) / KM_PER_DEGREE_LAT;
        lon += km * Math.sin(heading) / (KM_PER_DEGREE_LAT * Math.cos(Math.toRadians(lat)));
        return events;
    }

    TrafficSample sample(Instant now) {
        return new TrafficSample(car, road.name(), (int) Math.round(speed), lat, lon, now);
    }

    private void park(Instant now, List<CarEvent> events) {
        speed = 0;
        parkedTick++;
        if (parkedTick == 1) {
            events.add(CarEvent.door(car, ++seq, true, road.name(), now));
        } else if (parkedTick == PARKED_TICKS - 1) {
            events.add(CarEvent.door(car, ++seq, false, road.name(), now));
        } else if (parkedTick >= PARKED_TICKS) {
            parkedTick = -1;
            startLeg();
        }
    }

    private void startLeg() {
        leg++;
        int limit = road.limitKmh();
        if (leg == 1) {
            target = limit * (1.15 + random.nextDouble() * 0.1);
        } else if (leg % 4 == 2) {
            parkedTick = 0;
            return;
        } else {
            target = limit * (0.75 + random.nextDouble() * 0.45);
        }
        legTicksLeft = 4 + random.nextInt(4);
    }
}
