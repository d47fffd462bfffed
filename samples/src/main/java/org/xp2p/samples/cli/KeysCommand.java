package org.xp2p.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.xp2p.e2e.identity.IdentityKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xp2p keys create|show}: the device's long-term identity key, kept under a passcode. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Creates or shows the device's long-term Ed25519 identity key, stored encrypted under a passcode.",
                ExitCodes.HELP},
        subcommands = {KeysCommand.Create.class, KeysCommand.Show.class})
public final class KeysCommand {

    static void describe(PrintWriter out, Path file, IdentityKey key) {
        out.println("identity key file: " + file);
        out.println("public key (ed25519): " + IdentityKeys.encode(key.publicKey()));
        out.println("fingerprint: " + IdentityKeys.fingerprint(key.publicKey()));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a new identity key in FILE (mode 600), encrypted under a passcode.", ExitCodes.HELP})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        PasscodeOptions passcode;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key file.")
        Path out;
        @Option(names = "--force", description = "Replace an existing key file (its identity is lost for good).")
        boolean force;

        @Override
        public Integer call() {
            return Commands.run(spec, () -> {
                if (Files.exists(out) && !force) {
                    throw new CliException(ExitCodes.FAILED, out + " exists and may hold this device's identity; "
                            + "choose another --out, or add --force to replace it for good");
                }
                IdentityKey key = passcode.create(out, new SecureRandom());
                PrintWriter w = spec.commandLine().getOut();
                w.println("created a new identity key");
                describe(w, out, key);
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Unlocks FILE and prints its public key and fingerprint.", ExitCodes.HELP})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        PasscodeOptions passcode;
        @Parameters(paramLabel = "FILE", description = "The identity key file.")
        Path file;

        @Override
        public Integer call() {
            return Commands.run(spec, () -> {
                describe(spec.commandLine().getOut(), file, passcode.unlock(file));
                return ExitCodes.OK;
            });
        }
    }
}
