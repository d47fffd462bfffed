package org.xp2p.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;

/**
 * The security step between the wire and the application, one per device: plain (for
 * ordinary clients such as Pidgin) or secured, where the two ends first exchange their
 * E2E keys ({@code synchE2e}) and then every stanza is encrypted and signed, and an
 * allow-list of identity keys decides who may talk at all. The e2e module plugs in here;
 * links and routing do not change.
 *
 * <p>Called from the device's executor, possibly concurrently for different peers;
 * implementations must be thread-safe.
 */
public interface StanzaProtector {

    /** Plain mode: nothing is exchanged, stanzas pass unchanged and arrive as unprotected. */
    StanzaProtector PLAIN = new StanzaProtector() {
        @Override
        public CompletableFuture<Void> linkOpened(String peer, Function<IQ, CompletableFuture<IQ>> exchange) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public IQ answerOwnIq(IQ request, String peer) {
            return null;
        }

        @Override
        public Stanza protect(Stanza outgoing, String peer) {
            return outgoing;
        }

        @Override
        public Stanza unprotect(Stanza incoming, String peer) {
            return incoming;
        }

        @Override
        public boolean secured() {
            return false;
        }
    };

    /** Tells the protector our own instance name once it is final (after conflict renaming). */
    default void attach(String ourInstance) {
    }

    /**
     * A link to {@code peer} has opened; complete when application stanzas may flow, e.g.
     * after a synchE2e exchange sent through {@code exchange} (which sends an iq in the clear
     * and yields the answer). Fail to refuse the peer: the link is then closed.
     */
    CompletableFuture<Void> linkOpened(String peer, Function<IQ, CompletableFuture<IQ>> exchange);

    /** Answers iq requests of the protector's own protocol (synchE2e), or returns null. */
    IQ answerOwnIq(IQ request, String peer);

    /** Encrypts and signs an outgoing stanza addressed to {@code peer}. */
    Stanza protect(Stanza outgoing, String peer) throws StanzaRejectedException;

    /** Decrypts, verifies and replay-checks an incoming stanza from {@code peer}. */
    Stanza unprotect(Stanza incoming, String peer) throws StanzaRejectedException;

    /** What {@link #unprotectAll} made of one stanza: the stanza to hand on, or why it was refused. */
    record Unprotected(Stanza stanza, StanzaRejectedException refused) {
    }

    /**
     * {@link #unprotect} for stanzas that arrived one after another from {@code peer}, with
     * the results in the same order. A protector that checks signatures may check the whole
     * run's together, which costs several times less per stanza than one at a time.
     */
    default List<Unprotected> unprotectAll(List<Stanza> incoming, String peer) {
        List<Unprotected> out = new ArrayList<>(incoming.size());
        for (Stanza stanza : incoming) {
            try {
                out.add(new Unprotected(unprotect(stanza, peer), null));
            } catch (StanzaRejectedException e) {
                out.add(new Unprotected(null, e));
            }
        }
        return out;
    }

    /** True when stanzas that pass {@link #unprotect} were end-to-end protected. */
    boolean secured();
}
