package org.xp2p.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.EncryptedIq;

/**
 * An undecryptable iq request is answered with the specified plaintext forbidden error;
 * an undecryptable response completes the waiting request with a failure, never silence.
 */
class IqFailureTest {
    private static final Set<KeyType> TYPES = EnumSet.of(KeyType.ED25519);

    @Test
    void anUndecryptableRequestGetsTheSpecifiedForbiddenError() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("iq-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("iq-bob", TYPES, E2ePolicy.DEFAULT);
        RoundTripTest.Ping ping = RoundTripTest.Ping.toBob(IQ.Type.get, "q-1");
        IQ sent = alice.encrypt(ping, Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        bob.ring().rotate();
        bob.ring().rotate(); // the request was for keys two generations old

        Inbound in = bob.decrypt(Fixtures.received(sent, Fixtures.ALICE), bob.peerKeys(alice.e2eElement()));
        Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, in);
        IQ reply = rejected.errorReply().orElseThrow();
        assertEquals(IQ.Type.error, reply.getType());
        assertEquals("q-1", reply.getStanzaId());
        assertEquals(Fixtures.ALICE, reply.getTo());
        assertEquals(StanzaError.Condition.forbidden, reply.getError().getCondition());
        assertEquals(StanzaError.Type.AUTH, reply.getError().getType());
        assertEquals("Unable to decrypt or verify message.", reply.getError().getDescriptiveText());
        assertTrue(reply.toXML().toString().contains("Unable to decrypt or verify message."));
        assertTrue(DecryptionFailure.isReport(Fixtures.received(reply, Fixtures.BOB)), "Alice recognises it and re-synchronises");
        // The error travels in plaintext and is accepted in plaintext, in every mode.
        E2eEndpoint strictAlice = Fixtures.endpoint("iq-alice", TYPES, E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E));
        assertInstanceOf(Inbound.Accepted.class, strictAlice.decrypt(Fixtures.received(reply, Fixtures.BOB),
                strictAlice.peerKeys(bob.e2eElement())));
    }

    @Test
    void anUndecryptableResponseFailsTheWaitingRequest() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("iqr-alice", TYPES, E2ePolicy.DEFAULT);
        E2eEndpoint bob = Fixtures.endpoint("iqr-bob", TYPES, E2ePolicy.DEFAULT);
        RoundTripTest.Ping request = RoundTripTest.Ping.toBob(IQ.Type.get, "q-2");
        request.setFrom(Fixtures.ALICE);
        IQ result = IQ.createResultIQ(request);
        EncryptedIq sent = (EncryptedIq) bob.encrypt(result, Fixtures.BOB, bob.peerKeys(alice.e2eElement()));
        EncryptedElement e = sent.payload();
        byte[] sig = e.signature();
        sig[0] ^= 1;
        EncryptedIq forged = new EncryptedIq(new EncryptedElement(e.cipher(), e.keyType(), e.counter(), e.wrappedKey(), sig,
                e.ciphertext()), IQ.Type.result);
        forged.setStanzaId("q-2");
        forged.setTo(Fixtures.ALICE);

        Inbound in = alice.decrypt(Fixtures.received(forged, Fixtures.BOB), alice.peerKeys(bob.e2eElement()));
        Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, in);
        assertTrue(rejected.errorReply().isEmpty(), "a response is never answered");
        IQ failure = rejected.failedResponse().orElseThrow();
        assertEquals(IQ.Type.error, failure.getType());
        assertEquals("q-2", failure.getStanzaId(), "same id: it completes the waiting request");
        assertEquals(Fixtures.BOB, failure.getFrom(), "same sender: Smack's collector matches it");
        assertTrue(failure.getError().getDescriptiveText().contains("UNDECRYPTABLE"), failure.getError().getDescriptiveText());
    }

    @Test
    void aMalformedEncryptedIqIsRejectedAsMalformed() throws Exception {
        E2eEndpoint bob = Fixtures.endpoint("m-bob", TYPES, E2ePolicy.DEFAULT);
        org.jivesoftware.smack.packet.Stanza wire = org.jivesoftware.smack.util.PacketParserUtils.parseStanza(
                "<iq xmlns='jabber:client' type='set' id='m-1' from='alice@example.org/laptop' to='bob@example.org/phone'>"
                        + "<acp xmlns='urn:nfi:iot:e2e:1.0' r='ed25519' c='not-a-number'>AAAA</acp></iq>");
        Inbound in = bob.decrypt(wire, PeerKeys.none());
        Inbound.Rejected rejected = assertInstanceOf(Inbound.Rejected.class, in);
        assertEquals(RejectReason.MALFORMED, rejected.reason());
        assertTrue(rejected.errorReply().isPresent());
    }

    @Test
    void aServerBounceEchoingOurCiphertextReachesTheSenderAsTheErrorItIs() throws Exception {
        E2eEndpoint alice = Fixtures.endpoint("b-alice", TYPES, E2ePolicy.DEFAULT.withMode(E2eMode.REQUIRE_E2E));
        E2eEndpoint bob = Fixtures.endpoint("b-bob", TYPES, E2ePolicy.DEFAULT);
        RoundTripTest.Ping ping = RoundTripTest.Ping.toBob(IQ.Type.get, "b-1");
        IQ sent = alice.encrypt(ping, Fixtures.ALICE, alice.peerKeys(bob.e2eElement()));
        String payload = sent.toXML().toString();
        String inner = payload.substring(payload.indexOf("<acp"), payload.indexOf("</iq>"));
        String bounce = "<iq xmlns='jabber:client' type='error' id='b-1' from='bob@example.org/phone' to='alice@example.org/laptop'>"
                + inner + "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
        Inbound in = alice.decrypt(org.jivesoftware.smack.util.PacketParserUtils.parseStanza(bounce), alice.peerKeys(bob.e2eElement()));
        IQ got = (IQ) assertInstanceOf(Inbound.Accepted.class, in, in::toString).stanza();
        assertEquals(StanzaError.Condition.service_unavailable, got.getError().getCondition());

        org.jivesoftware.smack.packet.Message bounced = org.jivesoftware.smack.util.PacketParserUtils.parseStanza(
                "<message xmlns='jabber:client' type='error' id='m-9' from='bob@example.org/phone'>"
                        + "<error type='cancel'><recipient-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        assertInstanceOf(Inbound.Accepted.class, alice.decrypt(bounced, alice.peerKeys(bob.e2eElement())));
    }
}
