package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MappingRequestTest {
    @Test
    void aPermanentOrEndlessLeaseIsRefusedWithAnExplanation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MappingRequest(Protocol.TCP, 5000, 0, Duration.ZERO, "d"));
        assertTrue(e.getMessage().contains("lifetime"));
        assertThrows(IllegalArgumentException.class,
                () -> new MappingRequest(Protocol.TCP, 5000, 0, Duration.ofDays(8), "d"));
    }

    @Test
    void portsAndDescriptionAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> new MappingRequest(Protocol.UDP, 0, 0, Duration.ofHours(1), "d"));
        assertThrows(IllegalArgumentException.class,
                () -> new MappingRequest(Protocol.UDP, 5000, 70000, Duration.ofHours(1), "d"));
        assertThrows(IllegalArgumentException.class,
                () -> new MappingRequest(Protocol.UDP, 5000, 0, Duration.ofHours(1), " "));
    }
}
