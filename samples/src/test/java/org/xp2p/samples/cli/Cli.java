package org.xp2p.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xp2p.samples.Xp2pCommand;
import picocli.CommandLine;

/** Runs the {@code xp2p} command in-process, as a user would type it, capturing what it prints. */
final class Cli {
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        CommandLine cl = Xp2pCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    /** A passcode file, as scripts would give one. */
    static Path passcodeFile(Path dir, String name, String passcode) throws IOException {
        return Files.writeString(dir.resolve(name), passcode + "\n");
    }

    /** {@code command} for the device of {@code config}, its identity unlocked with the passcode in {@code passcodeFile}. */
    static String[] withConfig(Path config, Path passcodeFile, String... command) {
        String[] out = java.util.Arrays.copyOf(command, command.length + 4);
        out[command.length] = "--config";
        out[command.length + 1] = config.toString();
        out[command.length + 2] = "--passcode-file";
        out[command.length + 3] = passcodeFile.toString();
        return out;
    }

    /** A UDP port free on loopback right now. */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
