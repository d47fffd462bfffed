package org.xp2p.samples.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.e2e.identity.IdentityKeyFile;
import org.xp2p.e2e.identity.IdentityKeyFileException;
import picocli.CommandLine.Option;

/**
 * Where the identity key's passcode comes from: an environment variable or a file for
 * scripts, else a prompt on the terminal with echo off. A picocli mixin shared by every
 * command that unlocks or writes the identity key file.
 */
final class PasscodeOptions {
    @Option(names = "--passcode-env", paramLabel = "VAR",
            description = "Read the identity key's passcode from environment variable VAR (for scripts).")
    String env;

    @Option(names = "--passcode-file", paramLabel = "FILE",
            description = "Read the passcode from the first line of FILE (for scripts and service managers).")
    Path file;

    /** The passcode; with {@code confirm}, a prompt asks twice and the answers must match. */
    char[] read(String prompt, boolean confirm) throws CliException {
        if (env != null && file != null) {
            throw new CliException(ExitCodes.USAGE, "give --passcode-env or --passcode-file, not both");
        }
        if (env != null) {
            String value = System.getenv(env);
            if (value == null || value.isEmpty()) {
                throw new CliException(ExitCodes.IDENTITY, "environment variable " + env + " is "
                        + (value == null ? "not set" : "empty") + "; export it with the passcode, or leave out "
                        + "--passcode-env to be asked for it");
            }
            return value.toCharArray();
        }
        if (file != null) {
            try {
                String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                if (first.isEmpty()) {
                    throw new CliException(ExitCodes.IDENTITY, "passcode file " + file + " is empty; its first line "
                            + "must hold the passcode");
                }
                return first.toCharArray();
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.IDENTITY, "passcode file " + file + " does not exist");
            } catch (IOException e) {
                throw new CliException(ExitCodes.IDENTITY, "cannot read passcode file " + file + ": " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCodes.IDENTITY, "no terminal to ask for the passcode on; pass --passcode-env VAR "
                    + "or --passcode-file FILE");
        }
        char[] first = console.readPassword("%s: ", prompt);
        if (first == null || first.length == 0) {
            throw new CliException(ExitCodes.IDENTITY, "an empty passcode cannot protect the identity key; try again");
        }
        if (confirm) {
            char[] again = console.readPassword("Repeat it: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCodes.IDENTITY, "the two passcodes differ; nothing was written, try again");
            }
        }
        return first;
    }

    /** Unlocks the identity key in {@code keyFile}, turning each problem into advice. */
    IdentityKey unlock(Path keyFile) throws CliException {
        if (!Files.exists(keyFile)) {
            throw new CliException(ExitCodes.IDENTITY, "identity key file " + keyFile + " does not exist; create it with "
                    + "`xp2p keys create --out " + keyFile + "`");
        }
        char[] passcode = read("Passcode for " + keyFile, false);
        try {
            return IdentityKeyFile.read(keyFile, passcode);
        } catch (IdentityKeyFileException e) {
            String next = switch (e.problem()) {
                case WRONG_PASSCODE -> "; check the passcode (and the variable or file it comes from)";
                default -> "";
            };
            throw new CliException(ExitCodes.IDENTITY, e.getMessage() + next, e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.IDENTITY, "cannot read identity key file " + keyFile + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(passcode, '\0');
        }
    }

    /** Writes a new identity key to {@code keyFile}; returns it. */
    IdentityKey create(Path keyFile, SecureRandom random) throws CliException {
        char[] passcode = read("New passcode for " + keyFile, true);
        try {
            IdentityKey key = IdentityKey.generate(random);
            IdentityKeyFile.write(keyFile, key, passcode, random);
            return key;
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + keyFile + ": " + e.getMessage()
                    + "; choose a writable place with --out", e);
        } finally {
            Arrays.fill(passcode, '\0');
        }
    }
}
