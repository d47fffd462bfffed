package org.xp2p.samples.demo;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import org.w3c.dom.Element;

/**
 * Something a car reports only to the people it authorises: it went over the speed
 * limit, or a door opened or closed. {@code id} (car name + sequence) is unique per run,
 * so receivers can count exactly-once delivery.
 */
record CarEvent(String id, String car, Kind kind, String road, OptionalInt speed, OptionalInt limit, Instant at) {

    enum Kind {
        SPEED_LIMIT("speed-limit"), DOOR_OPENED("door-opened"), DOOR_CLOSED("door-closed");

        final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Kind ofWire(String s) {
            for (Kind k : values()) {
                if (k.wire.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown event kind " + s);
        }
    }

    CarEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(car, "car");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(road, "road");
        Objects.requireNonNull(speed, "speed");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(at, "at");
    }

    static CarEvent speeding(String car, long seq, String road, int speed, int limit, Instant at) {
        return new CarEvent(car + "-" + seq, car, Kind.SPEED_LIMIT, road, OptionalInt.of(speed), OptionalInt.of(limit),
                at);
    }

    static CarEvent door(String car, long seq, boolean opened, String road, Instant at) {
        return new CarEvent(car + "-" + seq, car, opened ? Kind.DOOR_OPENED : Kind.DOOR_CLOSED, road, OptionalInt.empty(),
                OptionalInt.empty(), at);
    }

    String toXml() {
        StringBuilder b = new StringBuilder(200).append("<event xmlns=\"").append(DemoXml.NAMESPACE)
                .append("\" id=\"").append(DemoXml.attr(id)).append("\" car=\"").append(DemoXml.attr(car))
                .append("\" kind=\"").append(kind.wire).append("\" road=\"").append(DemoXml.attr(road)).append('"');
        speed.ifPresent(s -> b.append(" speed=\"").append(s).append('"'));
        limit.ifPresent(l -> b.append(" limit=\"").append(l).append('"'));
        return b.append(" at=\"").append(at).append("\"/>").toString();
    }

    /** @throws IllegalArgumentException when {@code xml} is not a valid event */
    static CarEvent fromXml(String xml) {
        Element e = DemoXml.parse(xml, "event");
        return new CarEvent(e.getAttribute("id"), e.getAttribute("car"), Kind.ofWire(e.getAttribute("kind")),
                e.getAttribute("road"), optionalInt(e, "speed"), optionalInt(e, "limit"),
                Instant.parse(e.getAttribute("at")));
    }

    /** One line for the console. */
    String describe() {
        return switch (kind) {
            case SPEED_LIMIT -> "speed-limit " + road + " " + speed.orElse(0) + " km/h > " + limit.orElse(0);
            case DOOR_OPENED -> "door opened on " + road;
            case DOOR_CLOSED -> "door closed on " + road;
        };
    }

    private static OptionalInt optionalInt(Element e, String name) {
        return e.hasAttribute(name) ? OptionalInt.of(Integer.parseInt(e.getAttribute(name))) : OptionalInt.empty();
    }
}
