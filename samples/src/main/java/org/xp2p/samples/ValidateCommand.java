package org.xp2p.samples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.xp2p.schemas.Violation;
import org.xp2p.schemas.validation.StanzaValidator;
import org.xp2p.schemas.validation.ValidationReport;
import org.xp2p.schemas.validation.XmlLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p validate FILE...}: checks stanzas and xp2p elements against the schemas and
 * prints, per file, {@code valid} or each violation as {@code file:line:column: reason}.
 */
@Command(name = "validate",
        description = {"Validates XMPP stanzas or xp2p elements (<p2p/>, <e2e/>, <aes/>, <cha/>, <acp/>, "
                + "<synchE2e/>) against the xp2p schemas. One XML document per file; urn:nf, urn:nfi and "
                + "urn:ieee namespaces are accepted.",
                "Exit status: 0 when every file is valid, 1 when any is invalid, 2 when a file cannot be read."},
        mixinStandardHelpOptions = true)
final class ValidateCommand implements Callable<Integer> {
    static final int ALL_VALID = 0;
    static final int SOME_INVALID = 1;
    static final int UNREADABLE = 2;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "XML files to validate.")
    private List<Path> files;

    @Option(names = "--max-bytes", paramLabel = "N", description = "Largest document read (default: ${DEFAULT-VALUE}).")
    private long maxBytes = XmlLimits.DEFAULT.maxBytes();

    @Option(names = {"-q", "--quiet"}, description = "Print only the violations, not the files that are valid.")
    private boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StanzaValidator validator = new StanzaValidator(
                new XmlLimits(maxBytes, XmlLimits.DEFAULT.maxDepth(), XmlLimits.DEFAULT.maxAttributeChars()));
        int status = ALL_VALID;
        for (Path file : files) {
            ValidationReport report;
            try {
                report = validator.validate(file);
            } catch (NoSuchFileException e) {
                err.println(file + ": no such file");
                status = UNREADABLE;
                continue;
            } catch (IOException e) {
                err.println(file + ": cannot be read: " + e.getMessage());
                status = UNREADABLE;
                continue;
            }
            if (report.valid()) {
                if (!quiet) {
                    out.println(file + ": valid");
                }
                continue;
            }
            for (Violation v : report.violations()) {
                // Violation prints as "line:column: <element> attribute a: reason".
                out.println(file + (v.line() == Violation.UNKNOWN ? ": " : ":") + v);
            }
            status = Math.max(status, SOME_INVALID);
        }
        out.flush();
        err.flush();
        return status;
    }
}
