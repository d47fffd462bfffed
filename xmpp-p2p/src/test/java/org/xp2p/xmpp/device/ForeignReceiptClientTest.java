package org.xp2p.xmpp.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.xp2p.e2e.E2eMode;
import org.xp2p.testbed.ProsodyServer;
import org.xp2p.testbed.TestEnvironment;
import org.xp2p.xmpp.DeliveryPath;

/**
 * A foreign XEP-0184 client, slixmpp (Debian's python3-slixmpp), sends a burst of messages
 * with receipt requests through Prosody to a device that accepts plaintext from peers
 * without keys. It publishes no {@code <p2p/>} or {@code <e2e/>}, so it must get what the
 * XEP specifies, one receipt per message, not the batched receipts xp2p devices exchange
 * (which slixmpp would read as one receipt each, losing the rest).
 */
class ForeignReceiptClientTest {
    /** Debian's interpreter, where python3-slixmpp installs (not a PATH shim such as pyenv's). */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SLIXMPP = Path.of("/usr/lib/python3/dist-packages/slixmpp");
    private static final int MESSAGES = 60;

    @Test
    void aForeignClientGetsOneStandardReceiptPerMessage() throws Exception {
        requireSlixmpp();
        Path script = script();
        try (ProsodyServer prosody = ProsodyServer.startOnLoopback()) {
            Accounts.register(prosody.address(), prosody.port(), "frank");
            Accounts.register(prosody.address(), prosody.port(), "dana");
            RecordingHandler inbox = new RecordingHandler();
            try (Device dana = Device.builder(Accounts.config(prosody.address(), prosody.port(), "dana"))
                    .e2ePolicy(Device.defaultPolicy().withMode(E2eMode.ENCRYPT_IF_POSSIBLE))
                    .handler(inbox).start()) {
                Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), prosody.address(),
                        Integer.toString(prosody.port()), "frank@localhost", Accounts.password("frank"),
                        dana.jid().toString(), Integer.toString(MESSAGES)).redirectErrorStream(true).start();
                String output;
                try {
                    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the slixmpp client did not finish");
                    output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    p.destroyForcibly();
                }
                Matcher m = Pattern.compile("RESULT sent=(\\d+) receipt_messages=(\\d+) max_per_message=(\\d+) "
                        + "understood=(\\d+)").matcher(output);
                assertTrue(m.find(), output);
                assertEquals(MESSAGES, Integer.parseInt(m.group(1)), output);
                assertEquals(1, Integer.parseInt(m.group(3)), "one <received/> per receipt message: " + output);
                assertEquals(MESSAGES, Integer.parseInt(m.group(4)), "slixmpp saw every message acknowledged: " + output);
                assertEquals(MESSAGES, Integer.parseInt(m.group(2)), "one receipt message per message: " + output);

                inbox.awaitCount(MESSAGES, 30);
                List<String> bodies = new ArrayList<>();
                for (RecordingHandler.Received r : inbox.messages()) {
                    bodies.add(r.message().getBody());
                    assertEquals(DeliveryPath.BROKER, r.arrival().path());
                    assertTrue(!r.arrival().protectedByE2e(), "plaintext from a peer without keys");
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    expected.add("foreign:" + i);
                }
                assertEquals(expected, bodies);
            }
        }
    }

    private static void requireSlixmpp() {
        TestEnvironment.requireProgram("prosody", "prosody");
        if (!Files.isExecutable(PYTHON) || !Files.isDirectory(SLIXMPP)) {
            String what = "slixmpp for " + PYTHON + " is not installed (Debian package python3-slixmpp; "
                    + "scripts/install-test-deps installs it)";
            if (TestEnvironment.inCi()) {
                Assertions.fail("CI=true and this integration test cannot run: " + what);
            }
            Assumptions.abort("skipped: " + what);
        }
    }

    private static Path script() throws URISyntaxException, IOException {
        var url = ForeignReceiptClientTest.class.getResource("foreign_receipt_client.py");
        if (url == null) {
            throw new IOException("foreign_receipt_client.py is missing from the test resources");
        }
        return Path.of(url.toURI());
    }
}
