package org.xp2p.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

    @Test
    void theShippedExamplesAreAllValidAndExitZero() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(resource("examples"))) {
            files = s.map(Path::toString).sorted().toList();
        }
        assertTrue(files.size() >= 5, "examples: " + files);
        Run run = run(files.toArray(String[]::new));
        assertEquals(0, run.status, run.out + run.err);
        for (String f : files) {
            assertTrue(run.out.contains(f + ": valid"), run.out);
        }
    }

    @Test
    void eachViolationIsPrintedWithLineAndColumnAndTheExitIsOne() throws Exception {
        String file = resource("invalid/presence-bad-port-and-key.xml").toString();
        Run run = run(file);
        assertEquals(1, run.status);
        List<String> lines = run.out.lines().toList();
        assertEquals(2, lines.size(), run.out);
        assertTrue(lines.get(0).startsWith(file + ":3:"), lines.get(0));
        assertTrue(lines.get(0).contains("<p256> attribute pub:"), lines.get(0));
        assertTrue(lines.get(1).startsWith(file + ":5:"), lines.get(1));
        assertTrue(lines.get(1).contains("<p2p> attribute extPort:") && lines.get(1).contains("70000"), lines.get(1));
    }

    @Test
    void oneInvalidFileAmongValidOnesStillFails(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.xml");
        Files.writeString(good, "<p2p xmlns='urn:nfi:iot:p2p:1.0' extIp='::1' extPort='1' locIp='::1' locPort='2'/>");
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<presence xmlns='jabber:client'><e2e xmlns='urn:nf:iot:e2e:1.0'>");
        Run run = run("-q", good.toString(), bad.toString());
        assertEquals(1, run.status);
        assertTrue(!run.out.contains("good.xml"), "quiet hides valid files: " + run.out);
        assertTrue(run.out.contains("bad.xml:1:") && run.out.contains("not well-formed"), run.out);
    }

    @Test
    void aMissingFileIsAnErrorOfItsOwn(@TempDir Path dir) {
        Run run = run(dir.resolve("nope.xml").toString());
        assertEquals(2, run.status);
        assertTrue(run.err.contains("nope.xml: no such file"), run.err);
    }

    @Test
    void aDocumentOverTheSizeLimitIsReportedNotRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.xml");
        Files.writeString(big, "<presence xmlns='jabber:client'>" + " ".repeat(5000) + "</presence>");
        Run run = run("--max-bytes", "1000", big.toString());
        assertEquals(1, run.status);
        assertTrue(run.out.contains("exceeds the limit of 1000 bytes"), run.out);
    }

    @Test
    void noFileIsAUsageError() {
        Run run = run();
        assertEquals(2, run.status);
        assertTrue(run.err.contains("FILE"), run.err);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ValidateCommandTest.class.getResource("/" + name).toURI());
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Xp2pCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("validate"));
        all.addAll(List.of(args));
        int status = cli.execute(all.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }
}
