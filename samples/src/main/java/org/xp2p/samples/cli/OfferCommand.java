package org.xp2p.samples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.NodeIdentity;
import org.xp2p.e2e.identity.IdentityKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p offer export|import}: signed contact offers, exchanged out of band, that put
 * each device on the other's allow-list.
 */
@Command(name = "offer", mixinStandardHelpOptions = true,
        description = {"Exports our signed contact offer, or imports a peer's into the configuration's allow-list.",
                ExitCodes.HELP},
        subcommands = {OfferCommand.Export.class, OfferCommand.Import.class})
public final class OfferCommand {

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes our contact offer (identity key, JID, DHT address), signed with the identity key "
                    + "and armoured as text, to stdout or --out.", ExitCodes.HELP})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        PasscodeOptions passcode;
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The device configuration.")
        Path config;
        @Option(names = "--out", paramLabel = "FILE", description = "Write the offer here instead of stdout.")
        Path out;

        @Override
        public Integer call() {
            return Commands.run(spec, () -> {
                DeviceConfig c = DeviceConfigFile.read(config);
                IdentityKey key = passcode.unlock(c.identityFile());
                List<InetSocketAddress> addresses = c.dht().filter(d -> d.port() != 0)
                        .map(d -> List.of(new InetSocketAddress(d.address(), d.port()))).orElse(List.of());
                // The offer carries no puzzle nonce, so the cheapest puzzle will do to sign it.
                NodeIdentity signer = NodeIdentity.of(key.privateKey(), 0);
                String armoured = ContactOffer.create(signer, c.jid(), addresses, System.currentTimeMillis()).armoured();
                PrintWriter err = spec.commandLine().getErr();
                if (addresses.isEmpty()) {
                    err.println("note: no fixed DHT address (dht.port absent or 0): the offer carries the key and JID only");
                }
                if (out == null) {
                    spec.commandLine().getOut().print(armoured);
                } else {
                    try {
                        Files.writeString(out, armoured, StandardCharsets.US_ASCII);
                    } catch (IOException e) {
                        throw new CliException(ExitCodes.FAILED, "cannot write " + out + ": " + e.getMessage());
                    }
                    err.println("wrote the offer of " + c.jid() + " (fingerprint " + IdentityKeys.fingerprint(key.publicKey())
                            + ") to " + out + "; give it to the peer, who runs `xp2p offer import`");
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Verifies a peer's contact offer and adds the peer to the configuration's allow-list: the "
                    + "signed offer is kept next to the configuration as NAME.offer and peer.NAME.offer appended. "
                    + "A tampered offer is refused and nothing changes.",
                    ExitCodes.HELP})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The configuration to extend.")
        Path config;
        @Option(names = "--name", paramLabel = "NAME", description = "The peer's name in the file (default: its JID's "
                + "local part).")
        String name;
        @Parameters(paramLabel = "OFFER", description = "The offer file.")
        Path offerFile;

        @Override
        public Integer call() {
            return Commands.run(spec, () -> {
                ContactOffer offer = OfferFiles.read(offerFile);
                DeviceConfig c = DeviceConfigFile.read(config);
                PrintWriter out = spec.commandLine().getOut();
                String fingerprint = IdentityKeys.fingerprint(offer.identityKey());
                Optional<DeviceConfig.AllowedPeer> known = c.allowList().stream()
                        .filter(a -> Arrays.equals(a.identityKey(), offer.identityKey())).findFirst();
                if (known.isPresent()) {
                    out.println(offer.jid() + " (fingerprint " + fingerprint + ") is already allowed as '"
                            + known.get().name() + "'; " + config + " is unchanged");
                    return ExitCodes.OK;
                }
                String added = DeviceConfigFile.appendPeer(config, c, offer, name,
                        "imported from " + offerFile.getFileName() + " (" + offer.jid() + ")");
                DeviceConfigFile.read(config); // what we appended must read back
                out.println("allowed " + offer.jid() + " as '" + added + "' in " + config);
                out.println("fingerprint: " + fingerprint + "  (compare it with the peer's `xp2p keys show`)");
                return ExitCodes.OK;
            });
        }
    }
}
