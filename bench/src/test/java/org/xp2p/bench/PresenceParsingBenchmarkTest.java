package org.xp2p.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xp2p.bench.schemas.PresenceParsingBenchmark;
import org.xp2p.schemas.validation.StanzaValidator;

/** The benchmark measures what it says: a valid presence, parsed to the same keys on every path. */
class PresenceParsingBenchmarkTest {

    @Test
    void theBenchmarkedPresenceIsValidAndEveryPathReadsIt() throws Exception {
        assertTrue(new StanzaValidator().validate(PresenceParsingBenchmark.presence()).valid());
        PresenceParsingBenchmark b = new PresenceParsingBenchmark();
        b.setUp();
        assertTrue(b.pullParseOnly() > 20);
        assertTrue(b.xsdValidationOnly());
        assertEquals(20, ((org.xp2p.schemas.smack.E2eElement) b.smackProviders()).keys().size());
        assertEquals(2, ((List<?>) b.jaxbWithSchemaValidation()).size());
    }

    @Test
    void aRatioTableIsRelativeToItsBaseline() {
        ResultTable t = new ResultTable("t", "ops/s", true).add("base", 200, 1, "").add("other", 50, 1, "");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        t.print(new java.io.PrintStream(out), "base");
        String text = out.toString();
        assertTrue(text.contains("1.00x") && text.contains("0.25x"), text);
    }
}
