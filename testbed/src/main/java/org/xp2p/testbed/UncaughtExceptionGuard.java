package org.xp2p.testbed;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when any thread ended by an exception while it ran. Such a thread
 * (a link's reader, a device's timer) takes its work with it, and its stack trace on
 * stderr is easy to miss in a green run. Registered for every test class of the modules
 * that depend on the test bed (ServiceLoader, with JUnit's extension autodetection on in
 * the parent pom). A test that means to check one scenario may install its own handler and
 * put back the one it found.
 */
public final class UncaughtExceptionGuard implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(UncaughtExceptionGuard.class);

    private record Installed(Thread.UncaughtExceptionHandler previous, List<String> seen) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> seen = new ArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            synchronized (seen) {
                seen.add(t.getName() + ": " + e);
            }
            System.err.println("Exception in thread \"" + t.getName() + "\" (recorded by " + getClass().getSimpleName() + ")");
            e.printStackTrace();
        });
        context.getStore(NS).put(context.getRequiredTestClass(), new Installed(previous, seen));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Installed installed = context.getStore(NS).remove(context.getRequiredTestClass(), Installed.class);
        if (installed == null) {
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler(installed.previous());
        synchronized (installed.seen()) {
            if (!installed.seen().isEmpty()) {
                throw new AssertionError("threads ended by an exception while " + context.getRequiredTestClass().getSimpleName()
                        + " ran: " + installed.seen());
            }
        }
    }
}
