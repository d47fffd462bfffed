package org.xp2p.discovery.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xp2p.discovery.dht.DialBackRound.Verdict;

/** The decision logic of one reachability check, without a network. */
class DialBackRoundTest {

    private static final InetSocketAddress H1 = new InetSocketAddress("192.0.2.1", 4000);
    private static final InetSocketAddress H2 = new InetSocketAddress("198.51.100.1", 4000);
    private static final InetSocketAddress H3 = new InetSocketAddress("203.0.113.1", 4000);
    private static final byte[] N1 = nonce(1);
    private static final byte[] N2 = nonce(2);
    private static final byte[] N3 = nonce(3);

    private static byte[] nonce(int b) {
        byte[] n = new byte[16];
        java.util.Arrays.fill(n, (byte) b);
        return n;
    }

    private static InetSocketAddress spare(InetSocketAddress helper) {
        return new InetSocketAddress(helper.getAddress(), helper.getPort() + 1000);
    }

    private static DialBackRound threeHelpers() {
        DialBackRound r = new DialBackRound(SubnetPolicy.STANDARD);
        r.asked(H1, N1);
        r.asked(H2, N2);
        r.asked(H3, N3);
        return r;
    }

    @Test
    void twoProbesOfThreeMakeTheNodeReachableWithoutWaitingForTheThird() {
        DialBackRound r = threeHelpers();
        assertTrue(r.probe(N1, spare(H1), a -> false));
        assertEquals(Verdict.PENDING, r.verdict(false));
        assertTrue(r.probe(N2, spare(H2), a -> false));
        assertEquals(Verdict.REACHABLE, r.verdict(false));
    }

    @Test
    void aProbeFromTheHelpersOwnAddressDoesNotCountAsItPassesAnyNatFilter() {
        DialBackRound r = threeHelpers();
        assertFalse(r.probe(N1, H1, a -> false));
        assertEquals(0, r.confirmations());
    }

    @Test
    void aProbeFromAnAddressTheNodeSentToDoesNotCount() {
        DialBackRound r = threeHelpers();
        InetSocketAddress known = new InetSocketAddress("192.0.2.77", 9);
        assertFalse(r.probe(N1, known, known::equals));
        assertEquals(0, r.confirmations());
    }

    @Test
    void aProbeWithAnUnknownNonceOrRepeatedCountsNothingMore() {
        DialBackRound r = threeHelpers();
        assertFalse(r.probe(nonce(9), spare(H1), a -> false));
        assertTrue(r.probe(N1, spare(H1), a -> false));
        assertFalse(r.probe(N1, spare(H1), a -> false));
        assertEquals(1, r.confirmations());
        assertEquals(Verdict.PENDING, r.verdict(false));
    }

    @Test
    void helpersClaimingToHaveDialledWithoutProbesArrivingMeanUnreachable() {
        DialBackRound r = threeHelpers();
        r.answered(H1, true);
        r.answered(H2, true);
        r.answered(H3, true);
        assertEquals(Verdict.PENDING, r.verdict(false), "probes may still be on their way");
        assertEquals(Verdict.UNREACHABLE, r.verdict(true));
    }

    @Test
    void oneConfirmationAgainstTwoDialledWithoutArrivalIsUnreachable() {
        DialBackRound r = threeHelpers();
        r.answered(H1, true);
        r.answered(H2, true);
        r.answered(H3, true);
        r.probe(N1, spare(H1), a -> false);
        assertEquals(Verdict.UNREACHABLE, r.verdict(true));
    }

    @Test
    void helpersThatNeverAnsweredOrRefusedTeachNothing() {
        DialBackRound silent = threeHelpers();
        silent.noAnswer(H1);
        silent.noAnswer(H2);
        silent.noAnswer(H3);
        assertEquals(Verdict.INCONCLUSIVE, silent.verdict(false));
        DialBackRound refused = threeHelpers();
        refused.answered(H1, false);
        refused.answered(H2, false);
        refused.noAnswer(H3);
        assertEquals(Verdict.INCONCLUSIVE, refused.verdict(false));
    }

    @Test
    void theOneHelperThatDialledIsEnoughWhenTheOthersNeverAnswered() {
        DialBackRound r = threeHelpers();
        r.answered(H1, true);
        r.probe(N1, spare(H1), a -> false);
        r.noAnswer(H2);
        r.noAnswer(H3);
        assertEquals(Verdict.REACHABLE, r.verdict(false));
    }

    @Test
    void aSingleKnownPeerNeedsOneConfirmation() {
        DialBackRound r = new DialBackRound(SubnetPolicy.STANDARD);
        r.asked(H1, N1);
        r.answered(H1, true);
        assertEquals(Verdict.PENDING, r.verdict(false));
        r.probe(N1, spare(H1), a -> false);
        assertEquals(Verdict.REACHABLE, r.verdict(false));
    }

    @Test
    void confirmationsFromOneSubnetCountOnce() {
        DialBackRound r = new DialBackRound(SubnetPolicy.STANDARD);
        InetSocketAddress sibling = new InetSocketAddress("192.0.2.2", 4000);
        r.asked(H1, N1);
        r.asked(sibling, N2);
        r.asked(H2, N3);
        r.probe(N1, spare(H1), a -> false);
        r.probe(N2, spare(sibling), a -> false);
        assertEquals(1, r.confirmations());
        assertEquals(Verdict.PENDING, r.verdict(false));
    }

    @Test
    void helpersComeFromDistinctSubnetsAtMostThree() {
        SecureRandom keys = new SecureRandom();
        List<Contact> candidates = new ArrayList<>();
        for (int subnet = 1; subnet <= 5; subnet++) {
            for (int host = 1; host <= 4; host++) {
                candidates.add(NodeIdentity.generate(keys, 0)
                        .asContact(new InetSocketAddress("10.0." + subnet + "." + host, 4000)));
            }
        }
        List<Contact> picked = DialBackRound.pickHelpers(candidates, SubnetPolicy.STANDARD, 3, new Random(1));
        assertEquals(3, picked.size());
        Set<String> subnets = new HashSet<>();
        picked.forEach(c -> subnets.add(SubnetPolicy.STANDARD.subnetOf(c.address())));
        assertEquals(3, subnets.size());
        List<Contact> oneSubnet = candidates.subList(0, 4);
        assertEquals(1, DialBackRound.pickHelpers(oneSubnet, SubnetPolicy.STANDARD, 3, new Random(1)).size());
        assertTrue(DialBackRound.pickHelpers(List.of(), SubnetPolicy.STANDARD, 3, new Random(1)).isEmpty());
    }
}
