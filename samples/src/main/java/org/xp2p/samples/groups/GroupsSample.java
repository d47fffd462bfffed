package org.xp2p.samples.groups;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.xp2p.samples.common.LoopbackFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xp2p sample groups}: starts the devices of a groups file on loopback (all but the
 * ones named offline), and from one of them sends a text to each selector, printing who
 * got a copy and why anyone did not. Exit 0 when every running member got exactly its
 * copies, every offline member was reported, and unknown selectors were refused.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"Addresses a named group or a place in a hierarchy with one call; each member gets its own"
                + " end-to-end encrypted copy.",
                "Selectors: group:NAME, children:PLACE, descendants:PLACE, siblings:PLACE."})
public final class GroupsSample implements Callable<Integer> {
    static final int BAD_CONFIGURATION = 2;
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Groups file (default: the built-in home.groups).")
    private Path config;

    @Option(names = "--from", paramLabel = "DEVICE", description = "The sending device (default: ${DEFAULT-VALUE}).")
    private String from = "hub";

    @Option(names = "--offline", paramLabel = "DEVICE", split = ",",
            description = "Devices of the file that are not started (default: ${DEFAULT-VALUE}).")
    private List<String> offline = List.of("porch");

    @Parameters(paramLabel = "SELECTOR", arity = "0..*", description = "What to address (default: ${DEFAULT-VALUE}).")
    private List<String> selectors = List.of("group:garden-lights", "children:home/kitchen", "siblings:home/garden/lamp-1",
            "descendants:home", "group:outside", "group:attic-lights");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GroupDirectory directory;
        try {
            directory = config != null ? GroupDirectory.read(config) : builtIn();
        } catch (NoSuchFileException e) {
            err.println(config + ": no such file");
            return BAD_CONFIGURATION;
        } catch (GroupConfigException e) {
            err.println("bad groups file " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        List<String> running = new ArrayList<>(directory.devices());
        running.removeAll(offline);
        if (!running.contains(from)) {
            err.println("--from " + from + " is not a running device of the groups file; running: " + running);
            return BAD_CONFIGURATION;
        }
        out.println("Groups, between secured serverless devices on 127.0.0.1");
        out.println("  devices: " + running + (offline.isEmpty() ? "" : "; offline: " + offline) + "; groups: "
                + directory.groupNames());
        out.flush();
        Map<String, GroupInbox> inboxes = new LinkedHashMap<>();
        LoopbackFleet.Builder b = LoopbackFleet.builder("groups");
        for (String name : running) {
            inboxes.put(name, new GroupInbox());
            b.device(name, inboxes.get(name));
        }
        b.contacts(from, running.stream().filter(n -> !n.equals(from)).toArray(String[]::new));
        int unexpected = 0;
        Map<String, Integer> expectedCopies = new HashMap<>();
        try (LoopbackFleet fleet = b.start()) {
            GroupMessenger messenger = new GroupMessenger(fleet.device(from), from, directory, fleet::instanceOf, BOUND);
            for (String selector : selectors) {
                GroupDelivery d;
                try {
                    d = messenger.send(selector, "hello " + selector);
                } catch (UnknownAudienceException | IllegalArgumentException e) {
                    out.println("  " + from + " -> " + selector + ": refused: " + e.getMessage());
                    continue;
                }
                out.println("  " + from + " -> " + selector + ": " + d.delivered().size() + " of "
                        + d.audience().members().size() + " got their copy " + d.delivered());
                for (Map.Entry<String, String> f : d.failed().entrySet()) {
                    boolean expected = offline.contains(f.getKey());
                    String why = f.getValue();
                    int known = why.indexOf("; known: "); // the list of every instance seen: too long to read here
                    out.println("      " + f.getKey() + " failed" + (expected ? " (offline)" : "  <- UNEXPECTED") + ": "
                            + (known > 0 ? why.substring(0, known) : why));
                    unexpected += expected ? 0 : 1;
                }
                d.delivered().forEach(m -> expectedCopies.merge(m, 1, Integer::sum));
            }
            int total = expectedCopies.values().stream().mapToInt(Integer::intValue).sum();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (inboxes.values().stream().mapToInt(i -> i.copies().size()).sum() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // room for a stray copy
            out.println("  received:");
            for (Map.Entry<String, GroupInbox> e : inboxes.entrySet()) {
                List<GroupInbox.Copy> copies = e.getValue().copies();
                int want = expectedCopies.getOrDefault(e.getKey(), 0);
                boolean ok = copies.size() == want && copies.stream().allMatch(GroupInbox.Copy::protectedByE2e);
                out.println("    " + e.getKey() + ": " + copies.size() + " cop" + (copies.size() == 1 ? "y" : "ies")
                        + (copies.isEmpty() ? "" : ", all end-to-end encrypted: "
                        + copies.stream().allMatch(GroupInbox.Copy::protectedByE2e)) + (ok ? "" : "  <- UNEXPECTED, want "
                        + want));
                unexpected += ok ? 0 : 1;
            }
        }
        out.println(unexpected == 0 ? "OK" : "FAILED: " + unexpected + " unexpected outcome(s)");
        out.flush();
        return unexpected == 0 ? 0 : 1;
    }

    private static GroupDirectory builtIn() throws IOException, GroupConfigException {
        try (InputStream in = GroupsSample.class.getResourceAsStream("home.groups")) {
            return GroupDirectory.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
