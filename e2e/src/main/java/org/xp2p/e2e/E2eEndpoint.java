package org.xp2p.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.e2e.crypto.Ed25519BatchVerifier;
import org.xp2p.e2e.crypto.NonceSeed;
import org.xp2p.e2e.crypto.PayloadCipher;
import org.xp2p.e2e.crypto.RemoteKey;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.Xp2pNamespace;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.EncryptedIq;
import org.xp2p.schemas.smack.InvalidExtension;
import org.xp2p.schemas.smack.InvalidIq;
import org.xp2p.schemas.smack.SynchE2eIq;

/**
 * End-to-end encryption of one device's messages and iqs: picks the key type and cipher
 * by policy, encrypts and signs outgoing stanzas, and decrypts, verifies and
 * replay-checks incoming ones, answering every failure as the wire specification asks.
 *
 * <p>Thread-safe and non-blocking apart from the cryptography itself: call it from the
 * link reader threads and the device's executor alike. It owns no threads; the key ring's
 * timed rotation runs on the caller's executor ({@link KeyRotationSchedule}).
 */
public final class E2eEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(E2eEndpoint.class);
    private static final Set<String> CIPHER_ELEMENTS = Set.of("aes", "cha", "acp");

    private final LocalKeyRing ring;
    private final E2ePolicy policy;
    private final SecureRandom random;
    private final ReplayGuard replay;
    private final E2eStats stats = new E2eStats();

    /**
     * @param random source of wrapped keys, signature randomness and aes fill; a
     *               deterministic one only in tests
     */
    public E2eEndpoint(LocalKeyRing ring, E2ePolicy policy, SecureRandom random) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
        this.replay = new ReplayGuard(policy.replayWindow());
    }

    public LocalKeyRing ring() {
        return ring;
    }

    public E2ePolicy policy() {
        return policy;
    }

    public E2eStats stats() {
        return stats;
    }

    /**
     * Our {@code <e2e/>} for presence and synchE2e: the current keys the policy allows, and
     * as cipher flags the policy's preferred ciphers, the ones we accept.
     */
    public E2eElement e2eElement() {
        E2eElement all = ring.e2eElement(policy.preferredCiphers());
        return new E2eElement(all.aes(), all.cha(), all.acp(),
                all.keys().stream().filter(policy::allows).toList());
    }

    /** A peer's usable keys from its {@code <e2e/>}, filtered by our policy. */
    public PeerKeys peerKeys(E2eElement e2e) {
        return PeerKeys.of(e2e, policy);
    }

    /** The key type and cipher a stanza to {@code peer} would use now, if any. */
    public Optional<Choice> choose(PeerKeys peer) {
        KeyGeneration current = ring.current();
        for (KeyType type : policy.preferredKeyTypes()) {
            Optional<OwnKey> ours = current.key(type);
            Optional<RemoteKey> theirs = peer.key(type);
            if (ours.isEmpty() || theirs.isEmpty() || !policy.allows(theirs.get().published())
                    || !policy.allows(ours.get().key().published())) {
                continue;
            }
            for (SymmetricCipher cipher : policy.preferredCiphers()) {
                if (peer.accepts(cipher) && policy.allows(type, cipher)) {
                    return Optional.of(new Choice(ours.get(), theirs.get(), cipher));
                }
            }
        }
        return Optional.empty();
    }

    /** Our key, the peer's key of the same type, and the cipher one stanza goes under. */
    public record Choice(OwnKey ours, RemoteKey theirs, SymmetricCipher cipher) {
        public KeyType keyType() {
            return ours.key().type();
        }
    }

    /**
     * {@code message} encrypted for {@code peer}, or unchanged when the policy allows
     * plaintext and the peer publishes no usable key.
     *
     * @param from our own full JID, as the peer will see it in {@code from}
     * @throws E2eException when the policy requires encryption and there is no common key
     */
    public Message encrypt(Message message, Jid from, PeerKeys peer) throws E2eException {
        Optional<Sealing> next = next(peer);
        if (next.isEmpty()) {
            return plainOrRefuse(message, peer);
        }
        return encrypt(message, from, next.get().choice(), next.get().counter());
    }

    /**
     * {@code iq} with its payload encrypted for {@code peer}, or unchanged when the policy
     * allows plaintext and the peer publishes no usable key.
     *
     * @param from our own full JID, as the peer will see it in {@code from}
     * @throws E2eException when the policy requires encryption and there is no common key
     */
    public IQ encrypt(IQ iq, Jid from, PeerKeys peer) throws E2eException {
        Optional<Sealing> next = next(peer);
        if (next.isEmpty()) {
            return plainOrRefuse(iq, peer);
        }
        return encrypt(iq, from, next.get().choice(), next.get().counter());
    }

    private record Sealing(Choice choice, long counter) {
    }

    /** The choice and counter of the next stanza to {@code peer}; rotates the ring once a key's counters run out. */
    private Optional<Sealing> next(PeerKeys peer) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<Choice> choice = choose(peer);
            if (choice.isEmpty()) {
                return Optional.empty();
            }
            java.util.OptionalLong counter = choice.get().ours().tryNextCounter();
            if (counter.isPresent()) {
                return Optional.of(new Sealing(choice.get(), counter.getAsLong()));
            }
            // Never reuse a counter under a key: a nonce would repeat. Fresh keys start at 0.
            LOG.info("All 2^32 counters of our {} key are used; rotating the key ring", choice.get().keyType().elementName());
            ring.rotate();
        }
        throw new IllegalStateException("counters exhausted again right after a key rotation");
    }

    private <S extends Stanza> S plainOrRefuse(S stanza, PeerKeys peer) throws E2eException {
        if (!policy.plaintextAllowed()) {
            throw new E2eException("Policy " + policy.mode() + " forbids sending " + stanza.getClass().getSimpleName()
                    + " in plaintext, and " + stanza.getTo() + " publishes no key we may use (its usable keys: "
                    + peer.types() + "; ours: " + ring.current().types() + "). Synchronise keys (synchE2e) or relax the policy.");
        }
        stats.sentPlain();
        return stanza;
    }

    Message encrypt(Message message, Jid from, Choice choice, long counter) throws E2eException {
        String id = message.getStanzaId();
        NonceSeed seed = NonceSeed.of(id, "", str(from), str(message.getTo()));
        byte[] plaintext = StanzaPlaintext.ofMessage(message);
        EncryptedElement payload = seal(choice, counter, seed, str(from), plaintext);
        stats.encrypted();
        return StanzaBuilder.buildMessage(id).to(message.getTo()).addExtension(payload).build();
    }

    IQ encrypt(IQ iq, Jid from, Choice choice, long counter) throws E2eException {
        String id = iq.getStanzaId();
        NonceSeed seed = NonceSeed.of(id, iq.getType().toString(), str(from), str(iq.getTo()));
        byte[] plaintext = StanzaPlaintext.ofIq(iq).getBytes(StandardCharsets.UTF_8);
        EncryptedIq encrypted = new EncryptedIq(seal(choice, counter, seed, str(from), plaintext), iq.getType());
        encrypted.setStanzaId(id);
        encrypted.setTo(iq.getTo());
        stats.encrypted();
        return encrypted;
    }

    private EncryptedElement seal(Choice choice, long counter, NonceSeed seed, String from, byte[] plaintext) throws E2eException {
        try {
            return PayloadSealer.seal(choice.cipher(), choice.ours(), choice.theirs(), counter, seed, from, plaintext, random);
        } catch (GeneralSecurityException e) {
            throw new E2eException("Cannot encrypt for the peer's " + choice.keyType().elementName() + " key: "
                    + e.getMessage() + ". The peer must publish a valid key; re-synchronise keys.", e);
        }
    }

    /**
     * Decrypts, verifies and replay-checks a received message or iq from a peer whose
     * keys are {@code sender} ({@link PeerKeys#none()} when it publishes none). Presences
     * pass through unchanged. A rejected message is logged here, once, and counted.
     *
     * <p>Some stanzas are accepted in plaintext whatever the mode, because the protocol
     * needs them: error messages and error iqs (bounces, the forbidden reply of a failed
     * decryption) and synchE2e. Their {@link Inbound.Accepted#protection()} is empty; treat
     * them as the delivery reports and key exchange they are, never as application content.
     */
    public Inbound decrypt(Stanza received, PeerKeys sender) {
        return decrypt(received, sender, false).result();
    }

    /**
     * As {@link #decrypt}, except that a stanza signed with an Ed25519 key under an
     * authenticating cipher ({@code acp}) comes back decrypted but with its signature not yet
     * checked, so that {@link #verifySignatures} can check those of many stanzas together,
     * several times faster than one by one. The authenticated decryption has already proved
     * which of our keys and the sender's it was sealed with; only the signature is left.
     */
    public PendingInbound decryptDeferringSignature(Stanza received, PeerKeys sender) {
        return decrypt(received, sender, true);
    }

    /**
     * Checks the open signatures of {@code pending} together (Ed25519 batch verification;
     * one by one when the batch fails, to find the culprits) and settles each: accepted, its
     * counter recorded, or rejected as {@link RejectReason#BAD_SIGNATURE}. Settled ones are
     * skipped. Thread-safe; any thread may settle a stanza, once.
     */
    public void verifySignatures(List<PendingInbound> pending) {
        List<PendingInbound> open = new ArrayList<>(pending.size());
        for (PendingInbound p : pending) {
            if (p.awaitsSignature()) {
                open.add(p);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        stats.signaturesBatched(open.size());
        // Alone, a signature is checked as fast by Bouncy Castle, which accepts the same ones.
        boolean allVerify = open.size() > 1 && Ed25519BatchVerifier.verifyAll(open.stream().map(p -> {
            PendingInbound.Unverified u = p.unverified();
            return new Ed25519BatchVerifier.Item(u.key().ed25519Point(), u.plaintext(), u.signature());
        }).toList(), random);
        for (PendingInbound p : open) {
            PendingInbound.Unverified u = p.unverified();
            boolean verifies = allVerify || u.key().verify(u.plaintext(), u.signature());
            p.settle(() -> verifies ? accept(u.received(), u.rebuilt(), u.protection(), u.window())
                    : reject(u.received(), RejectReason.BAD_SIGNATURE, "it decrypted, but its "
                            + u.protection().keyType().elementName() + " signature does not verify with the sender's"
                            + " key: altered or forged"));
        }
    }

    private PendingInbound decrypt(Stanza received, PeerKeys sender, boolean deferSignature) {
        if (!(received instanceof Message) && !(received instanceof IQ)) {
            return PendingInbound.done(new Inbound.Accepted(received, Optional.empty()));
        }
        // One pass over the extensions (Smack copies their list on every call): the first
        // invalid cipher element, and the first encrypted payload.
        String malformed = received instanceof InvalidIq invalid
                && isCipherElement(invalid.getChildElementName(), invalid.getChildElementNamespace())
                ? invalid.violation().toString() : null;
        EncryptedElement carried = null;
        for (ExtensionElement e : received.getExtensions()) {
            if (malformed == null && e instanceof InvalidExtension invalid && isCipherElement(invalid.elementName(), invalid.namespace())) {
                malformed = invalid.violation().toString();
            } else if (carried == null && e instanceof EncryptedElement encrypted) {
                carried = encrypted;
            }
        }
        if (malformed != null) {
            return PendingInbound.done(reject(received, RejectReason.MALFORMED, malformed));
        }
        if (isPlaintextError(received)) {
            // A bounce or error reply in the clear (a server's service-unavailable, the
            // forbidden reply of a failed decryption), possibly echoing our own ciphertext,
            // which only its recipient could open: pass it on so the sender learns the fate
            // of its stanza.
            stats.acceptedPlain();
            return PendingInbound.done(new Inbound.Accepted(received, Optional.empty()));
        }
        EncryptedElement payload = received instanceof EncryptedIq e ? e.payload() : received instanceof Message ? carried : null;
        if (payload == null) {
            return PendingInbound.done(plaintext(received, sender));
        }
        return open(received, payload, sender, deferSignature);
    }

    /**
     * Error stanzas whose error is outside any ciphertext. Encrypted messages never carry a
     * type, and an encrypted error iq carries its {@code <error/>} inside the ciphertext.
     */
    private static boolean isPlaintextError(Stanza received) {
        if (received instanceof Message m) {
            return m.getType() == Message.Type.error;
        }
        return received instanceof IQ iq && iq.getType() == IQ.Type.error && iq.getError() != null;
    }

    private Inbound plaintext(Stanza received, PeerKeys sender) {
        // synchE2e is the key exchange itself: in plaintext in every mode (the runtime
        // decides whom to answer).
        boolean protocol = received instanceof SynchE2eIq;
        if (!protocol) {
            if (!policy.plaintextAllowed()) {
                return reject(received, RejectReason.PLAINTEXT_REFUSED, "policy " + policy.mode() + " accepts encrypted stanzas only");
            }
            if (choose(sender).isPresent()) {
                return reject(received, RejectReason.PLAINTEXT_REFUSED,
                        "the sender publishes keys we share, so plaintext would be a downgrade");
            }
        }
        stats.acceptedPlain();
        return new Inbound.Accepted(received, Optional.empty());
    }

    private PendingInbound open(Stanza received, EncryptedElement payload, PeerKeys sender, boolean deferSignature) {
        KeyType type = payload.keyType();
        if (type != KeyType.RSA && type.securityBits(new byte[0]) < policy.minSecurityBits()) {
            // RSA's strength depends on the sender's modulus, checked when its keys were read.
            return PendingInbound.done(reject(received, RejectReason.BELOW_POLICY, type.elementName() + " is rated "
                    + type.securityBits(new byte[0]) + " bits, below the policy of " + policy.minSecurityBits()));
        }
        if (policy.mode() == E2eMode.REQUIRE_POST_QUANTUM && !type.postQuantum()) {
            return PendingInbound.done(reject(received, RejectReason.BELOW_POLICY,
                    type.elementName() + " is not post-quantum"));
        }
        if (!policy.preferredCiphers().contains(payload.cipher())) {
            return PendingInbound.done(reject(received, RejectReason.BELOW_POLICY, payload.cipher().elementName()
                    + " is not among the ciphers we accept " + policy.preferredCiphers()));
        }
        if (!policy.allows(type, payload.cipher())) {
            return PendingInbound.done(reject(received, RejectReason.UNAUTHENTICATED_CIPHER,
                    payload.cipher().elementName() + " under " + type.elementName() + " has no integrity protection"));
        }
        List<RemoteKey> senders = sender.senderCandidates(type);
        if (senders.isEmpty()) {
            return PendingInbound.done(reject(received, RejectReason.UNKNOWN_SENDER_KEY, "the sender publishes no"
                    + " usable " + type.elementName() + " key (or one below the policy of " + policy.minSecurityBits()
                    + " bits)"));
        }
        KeyGeneration[] generations = ring.decrypting();
        String id = received.getStanzaId();
        String from = str(received.getFrom());
        String to = str(received.getTo());
        String stanzaType = received instanceof IQ iq ? iq.getType().toString() : "";
        NonceSeed seed = NonceSeed.of(id, stanzaType, from, to);
        boolean authenticatedCipher = PayloadCipher.of(payload.cipher()).authenticates();
        boolean authenticated = type.signs() || authenticatedCipher;
        String plaintextProblem = null;
        for (KeyGeneration generation : generations) {
            OwnKey ours = generation.key(type).orElse(null);
            if (ours == null) {
                continue;
            }
            for (RemoteKey peerKey : senders) {
                // Under aes or cha, only the signature tells whether this pair of keys was the
                // right one, so it cannot wait; under acp the tag has told already.
                boolean defer = deferSignature && type == KeyType.ED25519 && authenticatedCipher
                        && peerKey.ed25519Point() != null;
                byte[] plaintext;
                try {
                    plaintext = PayloadSealer.decrypt(payload, ours, peerKey, seed, from);
                    if (!defer) {
                        PayloadSealer.requireSignature(payload, peerKey, plaintext);
                    }
                } catch (GeneralSecurityException e) {
                    continue; // not this pair of keys; try the next
                }
                ReplayWindow window = replay.window(peerKey.published());
                ReplayWindow.Verdict early = window.check(payload.counter());
                if (early != ReplayWindow.Verdict.FRESH) {
                    return PendingInbound.done(replayed(received, early, payload.counter()));
                }
                Stanza rebuilt;
                try {
                    rebuilt = rebuild(received, new String(plaintext, StandardCharsets.UTF_8));
                } catch (StanzaPlaintext.PlaintextException e) {
                    if (!authenticated) {
                        plaintextProblem = e.getMessage();
                        continue; // without integrity, a wrong key shows up only here
                    }
                    return PendingInbound.done(reject(received, RejectReason.BAD_PLAINTEXT, e.getMessage()));
                }
                Inbound.Protection protection = new Inbound.Protection(type, payload.cipher(), payload.counter(),
                        generation.number());
                if (defer) {
                    return PendingInbound.unverified(this, new PendingInbound.Unverified(received, rebuilt, protection,
                            peerKey, plaintext, payload.signature(), window));
                }
                return PendingInbound.done(accept(received, rebuilt, protection, window));
            }
        }
        List<Long> tried = new ArrayList<>(2);
        for (KeyGeneration generation : generations) {
            if (generation.key(type).isPresent()) {
                tried.add(generation.number());
            }
        }
        if (tried.isEmpty()) {
            return PendingInbound.done(reject(received, RejectReason.NO_LOCAL_KEY,
                    "we have no current or previous " + type.elementName() + " key"));
        }
        return PendingInbound.done(reject(received, RejectReason.UNDECRYPTABLE, "no " + type.elementName() + "/"
                + payload.cipher().elementName() + " combination of our keys of generation " + tried
                + " and the sender's " + senders.size() + " known key(s) decrypts and verifies it; it was altered, forged, or encrypted for"
                + " an older generation of our keys, which rotation discards (generation " + ring.current().number()
                + " is current)" + (plaintextProblem == null ? "" : "; " + plaintextProblem)));
    }

    /** Records the counter of a stanza that decrypted and verified, and accepts it unless that counter was used. */
    private Inbound accept(Stanza received, Stanza rebuilt, Inbound.Protection protection, ReplayWindow window) {
        ReplayWindow.Verdict verdict = window.accept(protection.counter());
        if (verdict != ReplayWindow.Verdict.FRESH) {
            return replayed(received, verdict, protection.counter());
        }
        stats.decrypted();
        return new Inbound.Accepted(rebuilt, Optional.of(protection));
    }

    private Inbound replayed(Stanza received, ReplayWindow.Verdict verdict, long counter) {
        return verdict == ReplayWindow.Verdict.TOO_OLD
                ? reject(received, RejectReason.TOO_OLD, "counter " + counter + " is below the replay window of "
                        + policy.replayWindow())
                : reject(received, RejectReason.REPLAYED, "counter " + counter + " was already accepted from this key");
    }

    private static Stanza rebuild(Stanza received, String plaintext) throws StanzaPlaintext.PlaintextException {
        if (received instanceof IQ iq) {
            return StanzaPlaintext.toIq(plaintext, iq.getStanzaId(), iq.getFrom(), iq.getTo(), iq.getType());
        }
        return StanzaPlaintext.toMessage(plaintext, received.getStanzaId(), received.getFrom(), received.getTo());
    }

    private static boolean isCipherElement(String element, String namespace) {
        return CIPHER_ELEMENTS.contains(element) && Xp2pNamespace.of(namespace).filter(n -> n == Xp2pNamespace.E2E).isPresent();
    }

    private Inbound reject(Stanza received, RejectReason reason, String detail) {
        boolean message = received instanceof Message;
        stats.rejected(reason, message);
        Optional<IQ> errorReply = Optional.empty();
        Optional<IQ> failedResponse = Optional.empty();
        if (received instanceof IQ iq) {
            if (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) {
                errorReply = Optional.of(reason == RejectReason.PLAINTEXT_REFUSED
                        ? DecryptionFailure.forbidden(iq, "End-to-end encryption is required.")
                        : DecryptionFailure.replyTo(iq));
            } else {
                failedResponse = Optional.of(DecryptionFailure.failedResponse(iq, reason + ": " + detail));
            }
        }
        // The one log line of this stanza's fate; callers count via stats() instead of logging again.
        LOG.info("Rejected {} id={} from {}: {} ({})", message ? "message" : "iq", received.getStanzaId(),
                received.getFrom(), reason, detail);
        return new Inbound.Rejected(received, reason, detail, errorReply, failedResponse);
    }

    private static String str(Jid jid) {
        return jid == null ? "" : jid.toString();
    }
}
