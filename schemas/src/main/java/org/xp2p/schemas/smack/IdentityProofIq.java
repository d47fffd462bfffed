package org.xp2p.schemas.smack;

import org.jivesoftware.smack.packet.IQ;
import org.xp2p.schemas.Base64Text;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * {@code <iq><identityProof xmlns='urn:xp2p:link-identity:1' key='..' sig='..'/></iq>}: a
 * device's long-term Ed25519 identity key and its signature over what the secured link
 * binds to it (link-identity.xsd). Sent as {@code set}; the result carries the responder's
 * own proof. Received proofs whose sizes are wrong arrive as {@link InvalidIq}.
 */
public final class IdentityProofIq extends IQ {
    public static final String ELEMENT = "identityProof";
    public static final String NAMESPACE = Xp2pNamespace.LINK_IDENTITY.uri();
    public static final int KEY_OCTETS = 32;
    public static final int SIGNATURE_OCTETS = 64;

    private final byte[] key;
    private final byte[] signature;

    /**
     * @throws IllegalArgumentException when the key is not 32 octets or the signature not 64
     */
    public IdentityProofIq(byte[] key, byte[] signature) {
        super(ELEMENT, NAMESPACE);
        if (key.length != KEY_OCTETS || signature.length != SIGNATURE_OCTETS) {
            throw new IllegalArgumentException("an Ed25519 identity proof has a " + KEY_OCTETS + "-octet key and a "
                    + SIGNATURE_OCTETS + "-octet signature, not " + key.length + " and " + signature.length);
        }
        this.key = key.clone();
        this.signature = signature.clone();
        setType(Type.set);
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.attribute("key", Base64Text.encode(key));
        xml.attribute("sig", Base64Text.encode(signature));
        xml.setEmptyElement();
        return xml;
    }
}
