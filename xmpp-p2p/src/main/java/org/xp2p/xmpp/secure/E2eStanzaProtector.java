package org.xp2p.xmpp.secure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.e2e.E2eEndpoint;
import org.xp2p.e2e.E2eException;
import org.xp2p.e2e.Inbound;
import org.xp2p.e2e.PeerKeys;
import org.xp2p.e2e.PendingInbound;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.IdentityProofIq;
import org.xp2p.schemas.smack.SynchE2eIq;
import org.xp2p.schemas.smack.Xp2pProviders;
import org.xp2p.xmpp.StanzaProtector;
import org.xp2p.xmpp.StanzaRejectedException;

/**
 * Secured mode between xp2p devices, on the e2e module: when a link opens, the initiator
 * sends its keys in a {@code synchE2e} request and gets the responder's in the result,
 * then both prove their long-term Ed25519 identity over those keys
 * ({@link IdentityProofIq}); only a peer whose identity key is on the allow-list may talk,
 * and for a name a {@link PeerBinding} binds (a DHT contact's), only the bound key over the
 * bound E2E keys. New keys count once proven: until then the peer's last proven keys stay.
 * From then on every message and iq is end-to-end encrypted and signed (policy
 * REQUIRE_E2E in the endpoint), and anything else from that peer is refused with
 * {@code forbidden}.
 *
 * <p>Key rotation on a live link: we remember, per peer, which generation of our keys it
 * has proven to hold ({@link #inSync}); after our ring rotates, {@link #protectInSync}
 * refuses to seal with keys the peer does not know yet, and the device re-runs the
 * exchange on the open link ({@link #resync}). A re-synchronisation on a link that is
 * already secured must be proven by the identity key that secured it
 * ({@link #answerOnSecuredLink}); the peer's previous keys stay trusted to verify what it
 * sent before switching.
 *
 * <p>Thread-safe: per-peer state lives in concurrent maps; the endpoint is thread-safe.
 * Owns no threads.
 */
public final class E2eStanzaProtector implements StanzaProtector {
    private static final Logger LOG = LoggerFactory.getLogger(E2eStanzaProtector.class);

    /**
     * What we know of one peer; replaced, never mutated. {@code ourGeneration} is the
     * generation of our keys the peer holds, as far as we know for sure.
     */
    private record PeerState(E2eElement e2e, PeerKeys keys, boolean verified, byte[] identity, long ourGeneration) {
    }

    /** Keys a peer sent in synchE2e, not proven yet, and ours that we sent back (which our proof covers). */
    private record Pending(E2eElement theirs, PeerKeys keys, OurKeys ours) {
    }

    /** Our {@code <e2e/>} and the generation it is made of. */
    private record OurKeys(E2eElement e2e, long generation) {
    }

    private final E2eEndpoint endpoint;
    private final IdentityKey identity;
    private final List<byte[]> allowed;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private volatile PeerBinding binding = PeerBinding.NONE;
    /** Peers that proved their identity, with the keys they proved it over. */
    private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
    /**
     * Keys a peer sent in synchE2e and has not proven yet. Apart from {@link #peers}, so
     * that a stream merely claiming a verified peer's name (which stage one let through)
     * cannot reset that peer's session by sending synchE2e and then failing the proof.
     */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile String ourInstance;
    private volatile Jid ourJid;

    /**
     * @param endpoint  our E2E endpoint (its policy should be REQUIRE_E2E)
     * @param identity  our long-term identity key
     * @param allowList the identity public keys (32 octets each) of the peers that may talk to us
     */
    public E2eStanzaProtector(E2eEndpoint endpoint, IdentityKey identity, Collection<byte[]> allowList) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.allowed = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (byte[] key : allowList) {
            allow(key);
        }
        Xp2pProviders.register();
    }

    /** Adds an identity key (32 octets) to the allow-list, e.g. from a contact offer imported at run time. */
    public void allow(byte[] identityKey) {
        if (identityKey.length != IdentityKey.PUBLIC_OCTETS) {
            throw new IllegalArgumentException("an identity key on the allow-list has " + IdentityKey.PUBLIC_OCTETS
                    + " octets, not " + identityKey.length);
        }
        if (!isAllowed(identityKey)) {
            allowed.add(identityKey.clone());
        }
    }

    /**
     * Installs the rule that binds some peer names to one identity key and its published
     * E2E keys (the device installs its DHT contacts here); {@link PeerBinding#NONE} by default.
     */
    public void bind(PeerBinding peerBinding) {
        this.binding = Objects.requireNonNull(peerBinding, "peerBinding");
    }

    /** Our long-term identity public key (32 octets): the key our proofs are made with. */
    public byte[] identityPublicKey() {
        return identity.publicKey();
    }

    /** Our current {@code <e2e/>}: the keys a peer gets in synchE2e, and the ones to publish. */
    public E2eElement ourKeys() {
        return endpoint.e2eElement();
    }

    /** Calls {@code listener} (on the rotating thread) whenever our E2E keys rotate; returns its remover. */
    public Runnable onKeysRotated(Runnable listener) {
        java.util.function.Consumer<org.xp2p.e2e.KeyGeneration> l = g -> listener.run();
        endpoint.ring().addRotationListener(l);
        return () -> endpoint.ring().removeRotationListener(l);
    }

    /** How many peers were refused at the identity step (bad proof, key not allowed, binding). */
    public long identityRefusals() {
        return refused.get();
    }

    @Override
    public void attach(String instance) {
        this.ourInstance = instance;
        this.ourJid = jid(instance);
    }

    @Override
    public boolean secured() {
        return true;
    }

    /** True once {@code peer} proved an allowed identity over the keys it sent. */
    public boolean verified(String peer) {
        PeerState s = peers.get(key(peer));
        return s != null && s.verified();
    }

    @Override
    public CompletableFuture<Void> linkOpened(String peer, Function<IQ, CompletableFuture<IQ>> exchange) {
        return handshake(peer, exchange, false);
    }

    /**
     * Sends our current keys again on a link that is already secured (after our keys
     * rotated) and takes the peer's: the same exchange as {@link #linkOpened}, but the peer
     * must prove it with the identity key it proved before. Completes once the peer holds
     * our current keys (it adopts them before answering our proof); until then we keep
     * the keys we had.
     */
    public CompletableFuture<Void> resync(String peer, Function<IQ, CompletableFuture<IQ>> exchange) {
        return handshake(peer, exchange, true);
    }

    /** True when {@code peer} is verified and holds our current generation of keys. */
    public boolean inSync(String peer) {
        PeerState s = peers.get(key(peer));
        return s != null && s.verified() && s.ourGeneration() == endpoint.ring().current().number();
    }

    private CompletableFuture<Void> handshake(String peer, Function<IQ, CompletableFuture<IQ>> exchange, boolean resync) {
        String me = requireAttached();
        OurKeys ours = ourKeysNow();
        SynchE2eIq synch = new SynchE2eIq(ours.e2e(), null);
        synch.setTo(jid(peer));
        return exchange.apply(synch).thenCompose(answer -> {
            if (!(answer instanceof SynchE2eIq result) || answer.getType() != IQ.Type.result || result.e2e().isEmpty()) {
                throw new IllegalStateException(peer + " did not answer synchE2e with its keys: " + answer.toXML());
            }
            E2eElement theirs = result.e2e().get();
            Pending p = new Pending(theirs, endpoint.peerKeys(theirs), ours);
            IdentityProofIq proof = IdentityProof.create(identity, me, peer, ours.e2e());
            proof.setTo(jid(peer));
            return exchange.apply(proof).thenApply(a -> java.util.Map.entry(a, p));
        }).thenAccept(answerAndKeys -> {
            IQ answer = answerAndKeys.getKey();
            Pending p = answerAndKeys.getValue();
            if (!(answer instanceof IdentityProofIq proof) || answer.getType() != IQ.Type.result) {
                throw new IllegalStateException(peer + " refused our identity: " + answer.toXML());
            }
            Optional<String> refusal = refusal(peer, me, proof, p, resync);
            if (refusal.isPresent()) {
                throw new IllegalStateException(refusal.get());
            }
            // the peer adopted our keys before answering our proof: it holds ours.generation()
            adopt(peer, p, proof.key(), true);
            LOG.info(resync ? "Re-synchronised keys with {} on the open link (our generation {})"
                    : "Secured link with {}: identity verified, keys exchanged (our generation {})", peer,
                    ours.generation());
        });
    }

    /** Why a peer's proof over the keys it sent is refused, or empty; counts refusals. */
    private Optional<String> refusal(String peer, String me, IdentityProofIq proof, Pending p, boolean resync) {
        String why = null;
        if (!IdentityProof.verify(proof, peer, me, p.theirs())) {
            why = peer + "'s identity proof does not verify over the keys it sent in synchE2e";
        } else if (!isAllowed(proof.key())) {
            why = peer + "'s identity key is not on our allow-list";
        } else if (resync && !provenBefore(peer, proof.key())) {
            why = peer + " re-synchronised keys with another identity key than the one that secured this link";
        } else {
            Optional<String> unbound = binding.refusal(peer, proof.key(), p.theirs());
            if (unbound.isPresent()) {
                why = "refused " + peer + ": " + unbound.get();
            }
        }
        if (why == null) {
            return Optional.empty();
        }
        refused.incrementAndGet();
        LOG.info("Refused {}: {}", peer, why);
        return Optional.of(why);
    }

    private boolean provenBefore(String peer, byte[] identityKey) {
        PeerState old = peers.get(key(peer));
        return old != null && old.verified() && Arrays.equals(old.identity(), identityKey);
    }

    /**
     * Makes the peer's proven keys current. With the same identity as before, its previous
     * keys stay trusted for verification (stanzas it sealed before switching may still be on
     * the way). Only our own exchange (as initiator) tells us for sure which of our keys the
     * peer holds; an exchange the peer started sets it only when we knew nothing yet.
     */
    private void adopt(String peer, Pending p, byte[] identityKey, boolean initiator) {
        peers.compute(key(peer), (k, old) -> {
            boolean same = old != null && old.verified() && Arrays.equals(old.identity(), identityKey);
            PeerKeys keys = same ? old.keys().rotatedTo(p.theirs(), endpoint.policy()) : p.keys();
            long generation = initiator || !same ? p.ours().generation() : old.ourGeneration();
            return new PeerState(p.theirs(), keys, true, identityKey.clone(), generation);
        });
    }

    /** Our current keys with their generation, read consistently against a concurrent rotation. */
    private OurKeys ourKeysNow() {
        while (true) {
            long generation = endpoint.ring().current().number();
            E2eElement e2e = endpoint.e2eElement();
            if (endpoint.ring().current().number() == generation) {
                return new OurKeys(e2e, generation);
            }
        }
    }

    @Override
    public IQ answerOwnIq(IQ request, String peer) {
        return answer(request, peer, false);
    }

    /**
     * Like {@link #answerOwnIq}, for a link on which {@code peer} already proved its
     * identity: a re-synchronisation there must be proven by that same identity key.
     */
    public IQ answerOnSecuredLink(IQ request, String peer) {
        return answer(request, peer, true);
    }

    private IQ answer(IQ request, String peer, boolean securedLink) {
        if (request instanceof SynchE2eIq synch) {
            if (synch.e2e().isEmpty()) {
                return IQ.createErrorResponse(request, StanzaError.Condition.bad_request);
            }
            E2eElement theirs = synch.e2e().get();
            OurKeys ours = ourKeysNow();
            // new keys from this peer: it must prove its identity over them before they count
            pending.put(key(peer), new Pending(theirs, endpoint.peerKeys(theirs), ours));
            return SynchE2eIq.resultFor(request, ours.e2e(), null);
        }
        if (request instanceof IdentityProofIq proof) {
            String me = requireAttached();
            Pending p = pending.remove(key(peer));
            if (p == null) {
                return forbidden(request, "send synchE2e first");
            }
            Optional<String> refusal = refusal(peer, me, proof, p, securedLink);
            if (refusal.isPresent()) {
                return forbidden(request, refusal.get());
            }
            adopt(peer, p, proof.key(), false);
            LOG.info("Secured link with {}: identity verified, keys exchanged", peer);
            // our proof covers the keys we sent in our synchE2e answer, even if we rotated since
            IdentityProofIq answer = IdentityProof.create(identity, me, peer, p.ours().e2e());
            answer.setType(IQ.Type.result);
            answer.setStanzaId(request.getStanzaId());
            answer.setTo(request.getFrom());
            return answer;
        }
        return null;
    }

    /**
     * Encrypts and signs {@code outgoing} only if it is sealed with keys the peer holds:
     * empty when our keys rotated since the peer last learned them (re-synchronise with
     * {@link #resync}, then try again). A rotation during the sealing counts too.
     */
    public Optional<Stanza> protectInSync(Stanza outgoing, String peer) throws StanzaRejectedException {
        PeerState s = requireVerified(peer);
        long generation = endpoint.ring().current().number();
        if (s.ourGeneration() != generation) {
            return Optional.empty();
        }
        Stanza sealed = protect(outgoing, peer, s);
        return endpoint.ring().current().number() == generation ? Optional.of(sealed) : Optional.empty();
    }

    @Override
    public Stanza protect(Stanza outgoing, String peer) throws StanzaRejectedException {
        return protect(outgoing, peer, requireVerified(peer));
    }

    private Stanza protect(Stanza outgoing, String peer, PeerState s) throws StanzaRejectedException {
        Jid from = ourJid;
        try {
            if (outgoing instanceof Message m) {
                return endpoint.encrypt(m, from, s.keys());
            }
            if (outgoing instanceof IQ iq) {
                return endpoint.encrypt(iq, from, s.keys());
            }
        } catch (E2eException e) {
            throw new StanzaRejectedException(StanzaError.Condition.not_acceptable, e.getMessage());
        }
        throw new StanzaRejectedException(StanzaError.Condition.bad_request,
                "only message and iq travel on link-local streams, not " + outgoing.getClass().getSimpleName());
    }

    @Override
    public Stanza unprotect(Stanza incoming, String peer) throws StanzaRejectedException {
        return accepted(endpoint.decrypt(incoming, requireVerified(peer).keys()));
    }

    /** Decrypts the run first, then checks all the Ed25519 signatures in it as one batch. */
    @Override
    public List<Unprotected> unprotectAll(List<Stanza> incoming, String peer) {
        PeerState s;
        try {
            s = requireVerified(peer);
        } catch (StanzaRejectedException e) {
            return incoming.stream().map(stanza -> new Unprotected(null, e)).toList();
        }
        List<PendingInbound> pending = new ArrayList<>(incoming.size());
        for (Stanza stanza : incoming) {
            pending.add(endpoint.decryptDeferringSignature(stanza, s.keys()));
        }
        endpoint.verifySignatures(pending);
        List<Unprotected> out = new ArrayList<>(pending.size());
        for (PendingInbound p : pending) {
            try {
                out.add(new Unprotected(accepted(p.result()), null));
            } catch (StanzaRejectedException e) {
                out.add(new Unprotected(null, e));
            }
        }
        return out;
    }

    private static Stanza accepted(Inbound inbound) throws StanzaRejectedException {
        if (inbound instanceof Inbound.Accepted accepted) {
            return accepted.stanza();
        }
        Inbound.Rejected rejected = (Inbound.Rejected) inbound;
        throw new StanzaRejectedException(StanzaError.Condition.forbidden, rejected.reason() + ": " + rejected.detail());
    }

    private PeerState requireVerified(String peer) throws StanzaRejectedException {
        PeerState s = peers.get(key(peer));
        if (s == null || !s.verified()) {
            throw new StanzaRejectedException(StanzaError.Condition.forbidden,
                    peer + " has not proven an allowed identity on this link");
        }
        return s;
    }

    private boolean isAllowed(byte[] key) {
        for (byte[] a : allowed) {
            if (Arrays.equals(a, key)) {
                return true;
            }
        }
        return false;
    }

    private String requireAttached() {
        String me = ourInstance;
        if (me == null) {
            throw new IllegalStateException("attach(ourInstance) was not called; the device does this on start");
        }
        return me;
    }

    private static IQ forbidden(IQ request, String text) {
        return IQ.createErrorResponse(request, StanzaError.getBuilder(StanzaError.Condition.forbidden)
                .setDescriptiveEnText(text).build());
    }

    private static String key(String peer) {
        return peer.toLowerCase(Locale.ROOT);
    }

    private static Jid jid(String instance) {
        try {
            return JidCreate.from(instance);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException("instance name " + instance + " is not a valid JID", e);
        }
    }
}
