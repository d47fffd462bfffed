package org.xp2p.e2e;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.Jid;

/**
 * The error stanzas of a failed decryption: the specified plaintext {@code auth/forbidden}
 * reply to an iq get/set ("Unable to decrypt or verify message.", on which the requester
 * re-synchronises keys once and retries), and the local failure that completes a request
 * whose encrypted response could not be decrypted. Stateless.
 */
public final class DecryptionFailure {
    /** The text the wire specification gives the forbidden error. */
    public static final String TEXT = "Unable to decrypt or verify message.";

    private DecryptionFailure() {
    }

    /** The reply to an undecryptable iq get/set. */
    public static IQ replyTo(IQ request) {
        return forbidden(request, TEXT);
    }

    /**
     * A plaintext {@code auth/forbidden} error answering {@code request}. Unlike Smack's
     * {@code IQ.createErrorResponse}, it does not echo the request's child: echoing an
     * encrypted payload would make the reply look encrypted to its recipient.
     */
    static IQ forbidden(IQ request, String text) {
        return errorIq(request.getStanzaId(), request.getTo(), request.getFrom(), StanzaError.Condition.forbidden,
                StanzaError.Type.AUTH, text);
    }

    /** Whether {@code iq} is a peer's report that it could not decrypt our request: time to re-synchronise keys. */
    public static boolean isReport(IQ iq) {
        StanzaError error = iq.getError();
        return iq.getType() == IQ.Type.error && error != null
                && error.getCondition() == StanzaError.Condition.forbidden
                && TEXT.equals(error.getDescriptiveText());
    }

    /**
     * An error iq standing in for the response {@code received} that could not be decrypted:
     * same id, same sender, so the waiting request completes with a failure naming why.
     */
    static IQ failedResponse(IQ received, String detail) {
        return errorIq(received.getStanzaId(), received.getFrom(), received.getTo(), StanzaError.Condition.not_acceptable,
                StanzaError.Type.CANCEL, "The encrypted response could not be decrypted or verified: " + detail);
    }

    /** A plaintext error iq with only an {@code <error/>}: no child of the iq it concerns is echoed. */
    private static IQ errorIq(String id, Jid from, Jid to, StanzaError.Condition condition, StanzaError.Type type,
                              String text) {
        IqData data = StanzaBuilder.buildIqData(id).ofType(IQ.Type.error).from(from).to(to);
        StanzaError error = StanzaError.getBuilder(condition).setType(type).setDescriptiveEnText(text).build();
        return ErrorIQ.builder(error, data).build();
    }
}
