package org.xp2p.e2e;

import java.util.Optional;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;

/** What became of a received message or iq: accepted (decrypted or plaintext) or rejected. */
public sealed interface Inbound {

    /** The stanza the received one carried, to hand to the application. */
    record Accepted(Stanza stanza, Optional<Protection> protection) implements Inbound {
        public boolean wasEncrypted() {
            return protection.isPresent();
        }
    }

    /**
     * How an accepted stanza was protected.
     *
     * @param ourGeneration the generation of our key that decrypted it
     */
    record Protection(KeyType keyType, SymmetricCipher cipher, long counter, long ourGeneration) {
    }

    /**
     * A rejected stanza. It is never handed to the application.
     *
     * @param received        the stanza as received
     * @param errorReply      for an iq get/set: the plaintext {@code forbidden} error to send back
     * @param failedResponse  for an iq result/error: an error iq with the received id and sender,
     *                        to complete the request that waits for it with a failure
     */
    record Rejected(Stanza received, RejectReason reason, String detail, Optional<IQ> errorReply,
                    Optional<IQ> failedResponse) implements Inbound {
    }
}
