package org.xp2p.samples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the demo puts on the wire validates against cars.xsd; what does not is refused with a reason. */
class DemoXmlTest {
    private static final Instant AT = Instant.parse("2026-11-21T10:15:30.250Z");

    @Test
    void everyEventAndSampleTheSensorsProduceValidatesAndReadsBackEqual() {
        List<CarEvent> events = new ArrayList<>();
        CarSensors toyota = new CarSensors("toyota", Road.RING_3, 7);
        CarSensors ford = new CarSensors("ford", Road.E18, 8);
        for (int t = 0; t < 60; t++) {
            Instant now = AT.plusSeconds(t);
            events.addAll(toyota.tick(now, 1));
            events.addAll(ford.tick(now, 1));
            String published = toyota.sample(now).toXml();
            assertEquals(published, TrafficSample.fromXml(published).toXml(), "positions travel to five places");
        }
        assertTrue(events.size() >= 4, "sixty seconds of driving give events: " + events);
        for (CarEvent e : events) {
            assertEquals(e, CarEvent.fromXml(e.toXml()));
        }
    }

    @Test
    void trafficSampleRoundTripKeepsFivePlacesOfPosition() {
        TrafficSample s = new TrafficSample("ford", "E18", 97, 59.91391, 10.75222, AT);
        assertEquals(s, TrafficSample.fromXml(s.toXml()));
    }

    @Test
    void malformedXmlIsRefusedAsNotWellFormed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CarEvent.fromXml("<event xmlns='urn:xp2p:demo:cars:1.0' id='a-1'"));
        assertTrue(e.getMessage().startsWith("not well-formed XML"), e.getMessage());
    }

    @Test
    void anotherNamespaceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CarEvent.fromXml("<event xmlns='urn:example' id='a-1'/>"));
        assertTrue(e.getMessage().contains("expected <event xmlns='urn:xp2p:demo:cars:1.0'/>"), e.getMessage());
    }

    @Test
    void unknownKindAndImpossibleSpeedBreakTheSchema() {
        String unknownKind = CarEvent.door("ford", 1, true, "E18", AT).toXml().replace("door-opened", "door-melted");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CarEvent.fromXml(unknownKind)).getMessage()
                .contains("does not match cars.xsd"));
        String tooFast = CarEvent.speeding("ford", 2, "E18", 120, 110, AT).toXml().replace("\"120\"", "\"9000\"");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CarEvent.fromXml(tooFast)).getMessage()
                .contains("does not match cars.xsd"));
        String noId = CarEvent.speeding("ford", 3, "E18", 120, 110, AT).toXml().replace("id=\"ford-3\" ", "");
        assertThrows(IllegalArgumentException.class, () -> CarEvent.fromXml(noId));
    }

    @Test
    void documentTypeDeclarationsAreRefusedSoNoEntityIsEverExpanded() {
        String xxe = "<!DOCTYPE event [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<event xmlns='urn:xp2p:demo:cars:1.0' id='a-1' car='a' kind='door-opened' road='&x;' at='"
                + AT + "'/>";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CarEvent.fromXml(xxe));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void oversizeElementIsRefusedBeforeParsing() {
        String big = "<traffic xmlns='urn:xp2p:demo:cars:1.0' car='" + "a".repeat(2000) + "'/>";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrafficSample.fromXml(big));
        assertTrue(e.getMessage().contains("at most " + DemoXml.MAX_CHARS), e.getMessage());
    }
}
