package org.xp2p.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code xp2p keys create|show}: the identity key round trip and what each mistake gets. */
class KeysCommandTest {
    private static final Pattern PUBLIC = Pattern.compile("public key \\(ed25519\\): (\\S+)");
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint: (\\S+)");

    @TempDir
    Path dir;

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    @Test
    void createdKeyShowsTheSamePublicKeyAndFingerprintWhenUnlocked() throws Exception {
        Path key = dir.resolve("alice.key");
        Path pass = Cli.passcodeFile(dir, "pass", "correct horse");
        Cli.Result created = Cli.run("keys", "create", "--out", key.toString(), "--passcode-file", pass.toString());
        assertEquals(ExitCodes.OK, created.status(), created.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Cli.Result shown = Cli.run("keys", "show", key.toString(), "--passcode-file", pass.toString());
        assertEquals(ExitCodes.OK, shown.status(), shown.toString());
        String pub = group(PUBLIC, shown.out());
        assertEquals(group(PUBLIC, created.out()), pub);
        assertEquals(group(FINGERPRINT, created.out()), group(FINGERPRINT, shown.out()));
        assertEquals(32, java.util.Base64.getDecoder().decode(pub).length);
        assertEquals(IdentityKeys.fingerprint(java.util.Base64.getDecoder().decode(pub)), group(FINGERPRINT, shown.out()));
    }

    @Test
    void wrongPasscodeIsReportedAsSuchWithTheIdentityStatus() throws Exception {
        Path key = dir.resolve("alice.key");
        Cli.run("keys", "create", "--out", key.toString(), "--passcode-file", Cli.passcodeFile(dir, "p1", "right").toString());
        Cli.Result r = Cli.run("keys", "show", key.toString(), "--passcode-file", Cli.passcodeFile(dir, "p2", "wrong").toString());
        assertEquals(ExitCodes.IDENTITY, r.status(), r.toString());
        assertTrue(r.err().contains("wrong passcode"), r.toString());
        assertTrue(r.err().contains("check the passcode"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void existingKeyIsNotReplacedWithoutForce() throws Exception {
        Path key = dir.resolve("alice.key");
        Path pass = Cli.passcodeFile(dir, "pass", "pw");
        Cli.run("keys", "create", "--out", key.toString(), "--passcode-file", pass.toString());
        byte[] before = Files.readAllBytes(key);
        Cli.Result again = Cli.run("keys", "create", "--out", key.toString(), "--passcode-file", pass.toString());
        assertEquals(ExitCodes.FAILED, again.status(), again.toString());
        assertTrue(again.err().contains("--force"), again.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(key)));
        Cli.Result forced = Cli.run("keys", "create", "--out", key.toString(), "--passcode-file", pass.toString(), "--force");
        assertEquals(ExitCodes.OK, forced.status(), forced.toString());
    }

    @Test
    void missingKeyFileUnsetVariableAndNoTerminalEachSayWhatToDo() throws Exception {
        Cli.Result missing = Cli.run("keys", "show", dir.resolve("none.key").toString(), "--passcode-env", "PATH");
        assertEquals(ExitCodes.IDENTITY, missing.status(), missing.toString());
        assertTrue(missing.err().contains("xp2p keys create"), missing.toString());

        Cli.Result unset = Cli.run("keys", "create", "--out", dir.resolve("k").toString(), "--passcode-env",
                "XP2P_SURELY_UNSET_VARIABLE_42");
        assertEquals(ExitCodes.IDENTITY, unset.status(), unset.toString());
        assertTrue(unset.err().contains("XP2P_SURELY_UNSET_VARIABLE_42 is not set"), unset.toString());
        assertTrue(Files.notExists(dir.resolve("k")));

        // Under the test runner there is no terminal to prompt on.
        Cli.Result noTerminal = Cli.run("keys", "create", "--out", dir.resolve("k").toString());
        assertEquals(ExitCodes.IDENTITY, noTerminal.status(), noTerminal.toString());
        assertTrue(noTerminal.err().contains("--passcode-env VAR or --passcode-file FILE"), noTerminal.toString());
    }

    @Test
    void keyFileThatIsNotOneIsRefused() throws Exception {
        Path notKey = Files.writeString(dir.resolve("notes.txt"), "hello");
        Cli.Result r = Cli.run("keys", "show", notKey.toString(), "--passcode-file", Cli.passcodeFile(dir, "p", "x").toString());
        assertEquals(ExitCodes.IDENTITY, r.status(), r.toString());
        assertTrue(r.err().contains("not an xp2p identity key file"), r.toString());
    }
}
