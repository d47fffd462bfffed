package org.xp2p.samples.cli;

import java.nio.file.Path;
import org.xp2p.e2e.identity.IdentityKey;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of every command that starts the device: its configuration and the identity's passcode. */
final class DeviceOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The device configuration (keys: see `xp2p run --help`).")
    Path config;

    @Mixin
    PasscodeOptions passcode;

    /** Reads the configuration, then unlocks the identity key it names. */
    Loaded load() throws CliException {
        DeviceConfig c = DeviceConfigFile.read(config);
        return new Loaded(c, passcode.unlock(c.identityFile()));
    }

    record Loaded(DeviceConfig config, IdentityKey identity) {
    }
}
