package org.xp2p.samples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.e2e.identity.IdentityKeyFile;

/**
 * One device's files for a test: identity key, passcode file and a serverless
 * configuration on 127.0.0.1, to which lines (allow-list, DHT) can be appended.
 */
record TestDevice(String name, String jid, Path config, Path passcode, IdentityKey identity) {
    static final String PASSCODE = "test passcode";

    static TestDevice serverless(Path dir, String name, String extraLines) throws IOException {
        String jid = name + "-" + ProcessHandle.current().pid() + "@cli-test";
        SecureRandom random = new SecureRandom();
        IdentityKey key = IdentityKey.generate(random);
        IdentityKeyFile.write(dir.resolve(name + ".key"), key, PASSCODE.toCharArray(), random);
        Path pass = Cli.passcodeFile(dir, name + ".pass", PASSCODE);
        Path config = Files.writeString(dir.resolve(name + ".cfg"), String.join("\n",
                "# " + name + ", a test device",
                "identity.file = " + name + ".key",
                "jid = " + jid,
                "mode = serverless",
                "serverless.address = 127.0.0.1",
                extraLines, ""));
        return new TestDevice(name, jid, config, pass, key);
    }

    /** The arguments every device command takes for this device. */
    String[] args(String... command) {
        return Cli.withConfig(config, passcode, command);
    }

    void append(String lines) throws IOException {
        Files.writeString(config, Files.readString(config) + lines + "\n");
    }
}
