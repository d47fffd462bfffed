package org.xp2p.xmpp.secure;

import java.io.IOException;
import java.util.Base64;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IqProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * {@code <iq><identityProof xmlns='urn:xp2p:link-identity:1' key='..' sig='..'/></iq>}: a
 * device's long-term Ed25519 identity key and its signature binding that key to the
 * {@code <e2e/>} keys it just sent in synchE2e and to both ends' instance names (see
 * {@link IdentityProof}). Sent in the clear right after synchE2e; the request carries the
 * initiator's proof, the result the responder's. An xp2p extension, ignored by others.
 */
public final class IdentityProofIq extends IQ {
    public static final String ELEMENT = "identityProof";
    public static final String NAMESPACE = "urn:xp2p:link-identity:1";

    private final byte[] key;
    private final byte[] signature;

    public IdentityProofIq(byte[] key, byte[] signature) {
        super(ELEMENT, NAMESPACE);
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

    /** Registers the provider with Smack; idempotent. */
    public static void register() {
        ProviderManager.addIQProvider(ELEMENT, NAMESPACE, new Provider());
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.attribute("key", Base64.getEncoder().encodeToString(key));
        xml.attribute("sig", Base64.getEncoder().encodeToString(signature));
        xml.setEmptyElement();
        return xml;
    }

    /** Reads the element; a missing or non-base64 attribute gives empty arrays, which never verify. */
    static final class Provider extends IqProvider<IdentityProofIq> {
        @Override
        public IdentityProofIq parse(XmlPullParser parser, int initialDepth, IqData iqData, XmlEnvironment env)
                throws XmlPullParserException, IOException {
            byte[] key = decode(parser.getAttributeValue(null, "key"));
            byte[] sig = decode(parser.getAttributeValue(null, "sig"));
            while (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth)) {
                parser.next();
            }
            IdentityProofIq iq = new IdentityProofIq(key, sig);
            iq.setType(iqData.getType());
            return iq;
        }

        private static byte[] decode(String value) {
            if (value == null) {
                return new byte[0];
            }
            try {
                return Base64.getDecoder().decode(value.trim());
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
    }
}
