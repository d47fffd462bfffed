package org.xp2p.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xp2p} command: one entry point, one subcommand per job. */
@Command(name = "xp2p",
        mixinStandardHelpOptions = true,
        versionProvider = Xp2pCommand.Version.class,
        description = "Direct, secure device-to-device links for XMPP devices.",
        subcommands = {org.xp2p.samples.demo.DemoCommand.class, ValidateCommand.class,
                org.xp2p.samples.cli.KeysCommand.class, org.xp2p.samples.cli.OfferCommand.class,
                org.xp2p.samples.cli.RunCommand.class, org.xp2p.samples.cli.PeersCommand.class,
                org.xp2p.samples.cli.SendCommand.class, org.xp2p.samples.common.SampleCommand.class,
                CommandLine.HelpCommand.class})
public final class Xp2pCommand {
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** Held here: java.util.logging keeps loggers weakly, and would forget the level set on a dropped one. */
    private static final java.util.logging.Logger SMACK_LOG = java.util.logging.Logger.getLogger("org.jivesoftware");

    public static void main(String[] args) {
        // The commands print what matters themselves; the library's INFO lines would drown it.
        // JAVA_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=info brings them back.
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
            // Smack logs through java.util.logging; its warnings about stanzas racing a
            // closing connection are noise here.
            SMACK_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Xp2pCommand());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Xp2pCommand.class.getPackage().getImplementationVersion();
            return new String[] {"xp2p " + (v == null ? "(development build)" : v)};
        }
    }
}
