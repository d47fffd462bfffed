package org.xp2p.xmpp.broker;

import java.util.Objects;
import java.util.Set;
import org.jxmpp.jid.BareJid;

/**
 * Who may subscribe to our presence (and so learn our endpoints and keys). Immutable.
 *
 * @param mode      how requests are answered
 * @param allowList the bare JIDs the allow-list modes accept
 */
public record SubscriptionPolicy(Mode mode, Set<BareJid> allowList) {

    public enum Mode {
        /** Every request waits for the application: {@code approve} or {@code deny}. */
        MANUAL,
        /** Requests from the allow-list are accepted, all others denied. */
        ALLOW_LIST,
        /** Requests from the allow-list are accepted, all others wait for the application. */
        AUTO_ACCEPT_ALLOW_LIST
    }

    /** What to do with one request. */
    public enum Answer { ACCEPT, DENY, ASK }

    public SubscriptionPolicy {
        Objects.requireNonNull(mode, "mode");
        allowList = Set.copyOf(allowList);
    }

    public static SubscriptionPolicy manual() {
        return new SubscriptionPolicy(Mode.MANUAL, Set.of());
    }

    public static SubscriptionPolicy allowList(Set<BareJid> allowed) {
        return new SubscriptionPolicy(Mode.ALLOW_LIST, allowed);
    }

    public static SubscriptionPolicy autoAcceptFrom(Set<BareJid> allowed) {
        return new SubscriptionPolicy(Mode.AUTO_ACCEPT_ALLOW_LIST, allowed);
    }

    public Answer answer(BareJid requester) {
        boolean listed = allowList.contains(requester);
        return switch (mode) {
            case MANUAL -> Answer.ASK;
            case ALLOW_LIST -> listed ? Answer.ACCEPT : Answer.DENY;
            case AUTO_ACCEPT_ALLOW_LIST -> listed ? Answer.ACCEPT : Answer.ASK;
        };
    }
}
