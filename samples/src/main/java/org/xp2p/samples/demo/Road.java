package org.xp2p.samples.demo;

/**
 * A road of the demo's little map: its name, speed limit, where it starts and the compass
 * heading cars follow on it.
 *
 * @param limitKmh   speed limit, km/h
 * @param headingDeg compass heading, degrees clockwise from north
 */
record Road(String name, int limitKmh, double startLat, double startLon, double headingDeg) {
    static final Road E18 = new Road("E18", 110, 59.9139, 10.7522, 250);
    static final Road RING_3 = new Road("Ring 3", 80, 59.9290, 10.7870, 20);
}
