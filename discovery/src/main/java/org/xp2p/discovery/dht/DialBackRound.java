package org.xp2p.discovery.dht;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One reachability check of an AUTO node, as AutoNAT does it: a few helpers in distinct
 * subnets were each asked (with a fresh nonce) to send a probe from a port we never sent to;
 * this tallies what they answered and which probes arrived, and decides. A probe counts only
 * if it carries the nonce we gave that helper and comes from an address we did not talk to
 * (the helper's own address would pass a NAT's filter because we just sent there), and at
 * most once per helper subnet, so neither a liar's word nor many identities in one subnet
 * can make a node believe it is reachable. Not thread-safe: owned by the node's loop.
 */
final class DialBackRound {

    /** Where a round stands. */
    enum Verdict {
        /** Still waiting for answers or probes. */
        PENDING,
        /** Enough probes from distinct subnets arrived: serve others. */
        REACHABLE,
        /** Helpers said they dialled, too few probes arrived: act as a client only. */
        UNREACHABLE,
        /** No helper dialled at all (none answered, or all refused): nothing learned. */
        INCONCLUSIVE
    }

    /** Confirmations that make a node reachable, when at least this many subnets could be asked. */
    static final int REQUIRED_CONFIRMATIONS = 2;
    /** Helpers asked per round. */
    static final int HELPERS_PER_ROUND = 3;

    private enum State { ASKED, SENT, REFUSED, NO_ANSWER, CONFIRMED }

    private static final class Ask {
        final InetSocketAddress helper;
        final String subnet;
        final byte[] nonce;
        State state = State.ASKED;

        Ask(InetSocketAddress helper, String subnet, byte[] nonce) {
            this.helper = helper;
            this.subnet = subnet;
            this.nonce = nonce;
        }
    }

    private final SubnetPolicy subnets;
    private final List<Ask> asks = new ArrayList<>();

    DialBackRound(SubnetPolicy subnets) {
        this.subnets = subnets;
    }

    /**
     * Up to {@code max} helpers from distinct subnets, in random order (so a hostile subnet
     * cannot count on being asked); when fewer subnets are known, the round needs fewer
     * confirmations rather than asking one subnet twice.
     */
    static List<Contact> pickHelpers(List<Contact> candidates, SubnetPolicy subnets, int max, Random random) {
        List<Contact> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, random);
        Map<String, Contact> bySubnet = new LinkedHashMap<>();
        for (Contact c : shuffled) {
            if (bySubnet.size() >= max) {
                break;
            }
            bySubnet.putIfAbsent(subnets.subnetOf(c.address()), c);
        }
        return new ArrayList<>(bySubnet.values());
    }

    /** Records that {@code helper} was asked to dial back with {@code nonce}. */
    void asked(InetSocketAddress helper, byte[] nonce) {
        asks.add(new Ask(helper, subnets.subnetOf(helper), nonce.clone()));
    }

    int helpersAsked() {
        return asks.size();
    }

    /** The helper answered: it sent the probe, or refused (rate limit). */
    void answered(InetSocketAddress helper, boolean probeSent) {
        for (Ask a : asks) {
            if (a.helper.equals(helper) && a.state == State.ASKED) {
                a.state = probeSent ? State.SENT : State.REFUSED;
            }
        }
    }

    /** The helper did not answer in time. */
    void noAnswer(InetSocketAddress helper) {
        for (Ask a : asks) {
            if (a.helper.equals(helper) && a.state == State.ASKED) {
                a.state = State.NO_ANSWER;
            }
        }
    }

    /**
     * A probe arrived. Counts (returns true) only with a nonce we handed out, from an address
     * that is neither the helper's nor one {@code talkedTo} says we sent to, once per ask.
     */
    boolean probe(byte[] nonce, InetSocketAddress from, Predicate<InetSocketAddress> talkedTo) {
        for (Ask a : asks) {
            if (MessageDigest.isEqual(a.nonce, nonce)) {
                if (a.state == State.CONFIRMED || from.equals(a.helper) || talkedTo.test(from)) {
                    return false;
                }
                a.state = State.CONFIRMED;
                return true;
            }
        }
        return false;
    }

    /** Distinct helper subnets whose probe arrived. */
    int confirmations() {
        Set<String> confirmed = new HashSet<>();
        for (Ask a : asks) {
            if (a.state == State.CONFIRMED) {
                confirmed.add(a.subnet);
            }
        }
        return confirmed.size();
    }

    /**
     * The verdict so far; {@code deadlinePassed} turns a round still waiting into a final one.
     * Reachable as soon as confirmations reach two (or all subnets asked, when fewer were);
     * at the end, a round in which at least one helper dialled and too few probes arrived
     * says unreachable, and one in which nobody dialled says nothing.
     */
    Verdict verdict(boolean deadlinePassed) {
        Set<String> askedSubnets = new HashSet<>();
        int dialled = 0;
        boolean waiting = false;
        for (Ask a : asks) {
            askedSubnets.add(a.subnet);
            if (a.state == State.SENT || a.state == State.CONFIRMED) {
                dialled++;
            }
            if (a.state == State.ASKED || a.state == State.SENT) {
                waiting = true;
            }
        }
        int confirmed = confirmations();
        if (confirmed > 0 && confirmed >= Math.min(REQUIRED_CONFIRMATIONS, askedSubnets.size())) {
            return Verdict.REACHABLE;
        }
        if (waiting && !deadlinePassed) {
            return Verdict.PENDING;
        }
        if (dialled == 0) {
            return Verdict.INCONCLUSIVE;
        }
        // Helpers that did not answer at all say nothing about us; among those that dialled, most must have got through.
        Set<String> dialledSubnets = new HashSet<>();
        for (Ask a : asks) {
            if (a.state == State.SENT || a.state == State.CONFIRMED) {
                dialledSubnets.add(a.subnet);
            }
        }
        return confirmed >= Math.min(REQUIRED_CONFIRMATIONS, dialledSubnets.size()) ? Verdict.REACHABLE
                : Verdict.UNREACHABLE;
    }
}
