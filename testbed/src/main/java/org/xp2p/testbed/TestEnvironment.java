package org.xp2p.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine, and the rule for when it is missing: a developer's
 * machine may skip (with a message saying what is missing), CI (CI=true) may not, because
 * a skipped integration test there would hide a broken feature.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Namespaces, veth pairs and daemons need root. */
    public static void requireRoot() {
        require(isRoot(), "needs root (network namespaces); run as root or via the README test command");
    }

    /** A program on the PATH, such as {@code prosody} or {@code avahi-daemon}. */
    public static void requireProgram(String program, String debianPackage) {
        require(which(program) != null, program + " is not installed (Debian package " + debianPackage
                + "; the README test command installs it)");
    }

    public static Path which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String d : new String[] {dir, "/usr/sbin", "/sbin"}) {
                Path p = Path.of(d, program);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            if (inCi()) {
                Assertions.fail("CI=true and this integration test cannot run: " + what);
            }
            Assumptions.abort("skipped: " + what);
        }
    }
}
