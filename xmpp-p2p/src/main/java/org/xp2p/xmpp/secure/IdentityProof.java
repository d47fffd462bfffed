package org.xp2p.xmpp.secure;

import java.nio.charset.StandardCharsets;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.IdentityProofIq;

/**
 * What an identity proof signs: a fixed label, the signer's and the verifier's instance
 * names and the signer's {@code <e2e/>} as serialised XML. So a proof is only good for
 * these keys on a link between these two names. Pure functions.
 */
public final class IdentityProof {
    private static final String LABEL = "xp2p-link-identity/1";

    private IdentityProof() {
    }

    static byte[] signedBytes(String signer, String verifier, E2eElement signerKeys) {
        return (LABEL + "\n" + signer.toLowerCase(java.util.Locale.ROOT) + "\n"
                + verifier.toLowerCase(java.util.Locale.ROOT) + "\n" + signerKeys.toXML())
                .getBytes(StandardCharsets.UTF_8);
    }

    public static IdentityProofIq create(IdentityKey identity, String signer, String verifier, E2eElement signerKeys) {
        return new IdentityProofIq(identity.publicKey(), identity.sign(signedBytes(signer, verifier, signerKeys)));
    }

    public static boolean verify(IdentityProofIq proof, String signer, String verifier, E2eElement signerKeys) {
        return IdentityKey.verify(proof.key(), signedBytes(signer, verifier, signerKeys), proof.signature());
    }
}
