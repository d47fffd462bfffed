package org.xp2p.samples.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GroupsSampleTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new GroupsSample());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void theBuiltInHouseRunsReportsTheOfflinePorchAndTheUnknownGroupAndExitsZero() {
        Run r = run();
        assertEquals(0, r.status(), r.out() + r.err());
        for (String expected : List.of("-> group:garden-lights: 2 of 2 got their copy [lamp-1, lamp-2]",
                "-> descendants:home: 5 of 6 got their copy", "porch failed (offline)",
                "-> group:attic-lights: refused: no group named 'attic-lights'", "lamp-2: 4 copies, all end-to-end encrypted: true",
                "hub: 0 copies")) {
            assertTrue(r.out().contains(expected), expected + " missing from:\n" + r.out());
        }
        assertFalse(r.out().contains("UNEXPECTED"), r.out());
        assertTrue(r.out().endsWith("OK" + System.lineSeparator()), r.out());
    }

    @Test
    void aBadGroupsFileExitsTwoWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.groups");
        Files.writeString(file, "device hub home/hub\ngroup g hub ghost\n");
        Run r = run("--config", file.toString());
        assertEquals(GroupsSample.BAD_CONFIGURATION, r.status());
        assertEquals("bad groups file " + file + ":2: group g names ghost, which no 'device' line declares",
                r.err().strip());
        assertEquals(GroupsSample.BAD_CONFIGURATION, run("--config", dir.resolve("none").toString()).status());
    }
}
