package org.xp2p.samples.groups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.xp2p.xmpp.linklocal.LinkLocalDevice;

/**
 * Sends one text to everyone a selector reaches, one message per member: each copy is
 * encrypted for that member alone by the device's E2E protector and travels on that
 * member's own link. The sender never sends to itself. A copy counts as delivered once it
 * is written to a link whose peer proved an allowed identity; a member that cannot be
 * reached is reported with the reason, and the others still get theirs.
 *
 * <p>Thread-safe (it keeps no state between sends); sending blocks the caller for at most
 * the bound given.
 */
public final class GroupMessenger {
    /** The namespace of the {@code <addressed selector='...'/>} element each copy carries. */
    public static final String NAMESPACE = "urn:xp2p:sample:groups:1";

    private final LinkLocalDevice device;
    private final String self;
    private final GroupDirectory directory;
    private final UnaryOperator<String> instanceOf;
    private final Duration bound;

    /**
     * @param device     the sending device
     * @param self       its name in the directory (left out of every audience)
     * @param instanceOf maps a device name of the directory to its instance on the network
     * @param bound      how long a send waits for all copies to go out
     */
    public GroupMessenger(LinkLocalDevice device, String self, GroupDirectory directory, UnaryOperator<String> instanceOf,
            Duration bound) {
        this.device = Objects.requireNonNull(device, "device");
        this.self = Objects.requireNonNull(self, "self");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.instanceOf = Objects.requireNonNull(instanceOf, "instanceOf");
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    /**
     * Sends {@code text} to the audience of {@code selector}.
     *
     * @throws UnknownAudienceException when the selector names no configured group or place
     */
    public GroupDelivery send(String selector, String text) throws UnknownAudienceException, InterruptedException {
        Audience audience = directory.select(selector);
        List<String> members = audience.members().stream().filter(m -> !m.equals(self)).toList();
        Map<String, CompletableFuture<Void>> copies = new LinkedHashMap<>();
        for (String member : members) {
            copies.put(member, sendCopy(member, selector, text));
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> delivered = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Void>> c : copies.entrySet()) {
            try {
                c.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                delivered.add(c.getKey());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failed.put(c.getKey(), String.valueOf(cause.getMessage()));
            } catch (TimeoutException e) {
                failed.put(c.getKey(), "not sent within " + bound.toMillis() + " ms");
            }
        }
        return new GroupDelivery(new Audience(selector, members), delivered, failed);
    }

    private CompletableFuture<Void> sendCopy(String member, String selector, String text) {
        Message copy;
        try {
            copy = StanzaBuilder.buildMessage().to(JidCreate.from(instanceOf.apply(member))).ofType(Message.Type.chat)
                    .setBody(text)
                    .addExtension(StandardExtensionElement.builder("addressed", NAMESPACE)
                            .addAttribute("selector", selector).build())
                    .build();
        } catch (XmppStringprepException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    member + "'s instance is not a valid JID: " + e.getMessage(), e));
        }
        return device.send(copy);
    }
}
