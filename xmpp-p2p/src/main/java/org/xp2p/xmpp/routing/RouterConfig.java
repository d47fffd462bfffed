package org.xp2p.xmpp.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the router. Immutable.
 *
 * @param receiptTimeout  a direct link whose oldest unconfirmed stanza waits longer than this,
 *                        and from which not a byte came for as long, is taken for dead: it
 *                        is closed and its stanzas go over the broker (a peer that keeps
 *                        sending, keep-alives included, is only slow, and is waited for)
 * @param brokerRetry     an unconfirmed stanza sent over the broker is sent again after this
 * @param deadline        a send fails when it is not confirmed within this
 * @param directRetry     after a failed attempt to open a link, the broker path is used for this
 *                        long before the next attempt
 * @param directEnabled   false: never open direct links (broker only)
 */
public record RouterConfig(Duration receiptTimeout, Duration brokerRetry, Duration deadline, Duration directRetry,
        boolean directEnabled) {

    public RouterConfig {
        Objects.requireNonNull(receiptTimeout, "receiptTimeout");
        Objects.requireNonNull(brokerRetry, "brokerRetry");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(directRetry, "directRetry");
    }

    public static RouterConfig defaults() {
        return new RouterConfig(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(120),
                Duration.ofSeconds(30), true);
    }

    public RouterConfig withDirectEnabled(boolean enabled) {
        return new RouterConfig(receiptTimeout, brokerRetry, deadline, directRetry, enabled);
    }

    public RouterConfig withTimes(Duration receipt, Duration retry, Duration newDeadline, Duration direct) {
        return new RouterConfig(receipt, retry, newDeadline, direct, directEnabled);
    }
}
