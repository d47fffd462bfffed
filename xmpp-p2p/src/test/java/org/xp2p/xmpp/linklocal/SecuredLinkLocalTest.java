package org.xp2p.xmpp.linklocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xp2p.e2e.E2eStats;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eMode;
import org.xp2p.e2e.E2ePolicy;
import org.xp2p.e2e.LocalKeyRing;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.xmpp.StanzaProtector;
import org.xp2p.xmpp.secure.E2eStanzaProtector;

/**
 * Secured mode on real devices over loopback: alice and bob allow each other's identity
 * keys and talk end-to-end encrypted; mallory, whose identity alice does not allow, is
 * refused at the handshake; pat, a plain client, gets {@code forbidden} for its request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredLinkLocalTest {
    private static final long BOUND = 30;
    private final SecureRandom random = new SecureRandom();
    private final String s = "sec" + ProcessHandle.current().pid();
    private final IdentityKey aliceId = IdentityKey.generate(random);
    private final IdentityKey bobId = IdentityKey.generate(random);
    private final IdentityKey malloryId = IdentityKey.generate(random);
    private final RecordingHandler aliceInbox = new RecordingHandler();
    private final RecordingHandler bobInbox = new RecordingHandler();
    private final PresenceEvents seen = new PresenceEvents();
    private final PresenceEvents patSees = new PresenceEvents();
    private final PresenceEvents aliceSees = new PresenceEvents();
    private LinkLocalDevice alice;
    private LinkLocalDevice bob;
    private LinkLocalDevice mallory;
    private LinkLocalDevice pat;
    private final Map<IdentityKey, E2eEndpoint> endpoints = new ConcurrentHashMap<>();

    private StanzaProtector secured(IdentityKey me, IdentityKey... allowed) {
        E2ePolicy policy = E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E);
        E2eEndpoint endpoint = new E2eEndpoint(new LocalKeyRing(EnumSet.of(KeyType.ED25519, KeyType.P256), 128, random),
                policy, random);
        endpoints.put(me, endpoint);
        return new E2eStanzaProtector(endpoint, me, java.util.Arrays.stream(allowed).map(IdentityKey::publicKey).toList());
    }

    @BeforeAll
    void start() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        alice = LinkLocalDevice.builder("alice@" + s, lo).handler(aliceInbox).presenceListener(aliceSees)
                .protector(secured(aliceId, bobId)).start();
        bob = LinkLocalDevice.builder("bob@" + s, lo).handler(bobInbox).presenceListener(seen)
                .protector(secured(bobId, aliceId)).start();
        mallory = LinkLocalDevice.builder("mallory@" + s, lo).handler(new RecordingHandler()).presenceListener(seen)
                .protector(secured(malloryId, aliceId)).start();
        pat = LinkLocalDevice.builder("pat@" + s, lo).handler(new RecordingHandler()).presenceListener(patSees).start();
        seen.await(alice.instance(), "added", Duration.ofSeconds(BOUND));
        patSees.await(alice.instance(), "added", Duration.ofSeconds(BOUND));
        // alice accepts a stream only from an instance she has seen announced at that address
        for (LinkLocalDevice d : new LinkLocalDevice[] {bob, mallory, pat}) {
            aliceSees.await(d.instance(), "added", Duration.ofSeconds(BOUND));
        }
    }

    @AfterAll
    void stop() {
        for (LinkLocalDevice d : new LinkLocalDevice[] {alice, bob, mallory, pat}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static Message chat(String to, String body) throws Exception {
        return StanzaBuilder.buildMessage().to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
    }

    @Test
    void allowedPeersChatEncryptedBothWaysAndAnswerIqs() throws Exception {
        bob.send(chat(alice.instance(), "secret for alice")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received atAlice = aliceInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        assertNotNull(atAlice);
        assertEquals("secret for alice", atAlice.message().getBody());
        assertTrue(atAlice.arrival().protectedByE2e());
        assertEquals(bob.instance(), atAlice.arrival().peer());

        alice.send(chat(bob.instance(), "secret for bob")).get(BOUND, TimeUnit.SECONDS);
        RecordingHandler.Received atBob = bobInbox.messages.poll(BOUND, TimeUnit.SECONDS);
        assertEquals("secret for bob", atBob.message().getBody());
        assertTrue(atBob.arrival().protectedByE2e());

        IQ answer = bob.sendIq(new Version(JidCreate.from(alice.instance()))).get(BOUND, TimeUnit.SECONDS);
        assertEquals("xp2p-test", assertInstanceOf(Version.class, answer).getName());
    }

    /** A burst outruns one-at-a-time verification, so bob's link handles it in runs, each checked as one batch. */
    @Test
    void burstArrivesInOrderWithItsSignaturesCheckedInBatches() throws Exception {
        int n = 300;
        E2eStats.Snapshot before = endpoints.get(bobId).stats().snapshot();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(alice.send(chat(bob.instance(), "burst " + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(BOUND, TimeUnit.SECONDS);
        int next = 0;
        while (next < n) {
            RecordingHandler.Received r = bobInbox.messages.poll(BOUND, TimeUnit.SECONDS);
            assertNotNull(r, "bob got " + next + " of " + n);
            if (r.message().getBody().startsWith("burst ")) {
                assertEquals("burst " + next, r.message().getBody());
                assertTrue(r.arrival().protectedByE2e());
                next++;
            }
        }
        E2eStats.Snapshot after = endpoints.get(bobId).stats().snapshot();
        long signatures = after.batchedSignatures() - before.batchedSignatures();
        long batches = after.signatureBatches() - before.signatureBatches();
        assertTrue(signatures >= n, signatures + " signatures checked in batches");
        assertTrue(batches < signatures, batches + " batches for " + signatures + " signatures: none held two");
    }

    @Test
    void aRequestInANamespaceNobodyParsesIsAnsweredServiceUnavailable() throws Exception {
        // no provider knows this child, so alice holds it as an UnparsedIQ; her error answer
        // must still decrypt and parse at bob's end
        IQ unknown = new IQ("query", "urn:xp2p:test:unknown") {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.attribute("a", "1");
                xml.setEmptyElement();
                return xml;
            }
        };
        unknown.setTo(JidCreate.from(alice.instance()));
        IQ answer = bob.sendIq(unknown).get(BOUND, TimeUnit.SECONDS);
        assertEquals(IQ.Type.error, answer.getType());
        assertEquals(StanzaError.Condition.service_unavailable, answer.getError().getCondition());
    }

    @Test
    void peerWhoseIdentityIsNotAllowedIsRefusedAtTheHandshake() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> mallory.send(chat(alice.instance(), "let me in")).get(BOUND, TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("cannot secure the link"), e.toString());
        assertTrue(e.toString().contains("allow-list"), e.toString());
    }

    @Test
    void plainClientRequestIsAnsweredForbidden() throws Exception {
        IQ answer = pat.sendIq(new Version(JidCreate.from(alice.instance()))).get(BOUND, TimeUnit.SECONDS);
        assertEquals(IQ.Type.error, answer.getType());
        assertEquals(StanzaError.Condition.forbidden, answer.getError().getCondition());
    }

}
