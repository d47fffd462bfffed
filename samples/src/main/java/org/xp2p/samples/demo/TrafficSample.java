package org.xp2p.samples.demo;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * What a car publishes for everyone in its public DHT record: its road, speed and
 * position. Anyone can read it; only the car's identity key can write it.
 */
record TrafficSample(String car, String road, int speed, double lat, double lon, Instant at) {

    TrafficSample {
        Objects.requireNonNull(car, "car");
        Objects.requireNonNull(road, "road");
        Objects.requireNonNull(at, "at");
    }

    String toXml() {
        return "<traffic xmlns=\"" + DemoXml.NAMESPACE + "\" car=\"" + DemoXml.attr(car) + "\" road=\""
                + DemoXml.attr(road) + "\" speed=\"" + speed + "\" lat=\"" + String.format(Locale.ROOT, "%.5f", lat)
                + "\" lon=\"" + String.format(Locale.ROOT, "%.5f", lon) + "\" at=\"" + at + "\"/>";
    }

    /** @throws IllegalArgumentException when {@code xml} is not a valid sample */
    static TrafficSample fromXml(String xml) {
        Element e = DemoXml.parse(xml, "traffic");
        return new TrafficSample(e.getAttribute("car"), e.getAttribute("road"),
                Integer.parseInt(e.getAttribute("speed")), Double.parseDouble(e.getAttribute("lat")),
                Double.parseDouble(e.getAttribute("lon")), Instant.parse(e.getAttribute("at")));
    }
}
