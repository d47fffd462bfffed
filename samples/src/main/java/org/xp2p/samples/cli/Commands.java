package org.xp2p.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What every device command does around its work: report a {@link CliException} and flush. Stateless. */
final class Commands {
    /** A command's work, which may fail with advice. */
    interface Work {
        int run() throws Exception;
    }

    private Commands() {
    }

    static int run(CommandSpec spec, Work work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return work.run();
        } catch (CliException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return e.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(spec.qualifiedName() + ": interrupted");
            return ExitCodes.FAILED;
        } catch (Exception e) {
            err.println(spec.qualifiedName() + ": unexpected failure: " + e);
            return ExitCodes.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
