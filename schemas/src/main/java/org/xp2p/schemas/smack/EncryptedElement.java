package org.xp2p.schemas.smack;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.xp2p.schemas.Base64Text;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * One encrypted payload: {@code <aes|cha|acp xmlns="urn:nf:iot:e2e:1.0" r c [k] [s]>base64</…>}.
 *
 * @param cipher     which symmetric cipher, and so the element name
 * @param keyType    {@code r}: the sender's key type, which selects the recipient key too
 * @param counter    {@code c}: 0 to 2^32-1
 * @param wrappedKey {@code k}: the symmetric key wrapped for the recipient (rsa, ml*), or null
 * @param signature  {@code s}: the signature over the plaintext, or null (x25519, x448)
 * @param ciphertext the element text
 */
public record EncryptedElement(SymmetricCipher cipher, KeyType keyType, long counter,
                               byte[] wrappedKey, byte[] signature, byte[] ciphertext) implements ExtensionElement {

    public static final String NAMESPACE = Xp2pNamespace.E2E.uri();
    public static final long MAX_COUNTER = 0xFFFF_FFFFL;

    public EncryptedElement {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("counter " + counter + " is outside 0.." + MAX_COUNTER);
        }
        wrappedKey = wrappedKey == null ? null : wrappedKey.clone();
        signature = signature == null ? null : signature.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey == null ? null : wrappedKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** The encrypted payload a received stanza carries, whichever cipher it names. */
    public static Optional<EncryptedElement> in(Stanza stanza) {
        return StanzaExtensions.ofType(stanza, EncryptedElement.class).findFirst();
    }

    public Optional<byte[]> optionalSignature() {
        return Optional.ofNullable(signature());
    }

    @Override
    public String getElementName() {
        return cipher.elementName();
    }

    @Override
    public String getNamespace() {
        return NAMESPACE;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
        return writeAttributesAndContent(xml).closeElement(this);
    }

    /** Everything after the element name up to the end tag; shared with {@link EncryptedIq}. */
    XmlStringBuilder writeAttributesAndContent(XmlStringBuilder xml) {
        xml.attribute("r", keyType.elementName()).attribute("c", counter);
        if (wrappedKey != null) {
            xml.attribute("k", Base64Text.encode(wrappedKey));
        }
        if (signature != null) {
            xml.attribute("s", Base64Text.encode(signature));
        }
        return xml.rightAngleBracket().append(Base64Text.encode(ciphertext));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedElement e && e.cipher == cipher && e.keyType == keyType && e.counter == counter
                && Arrays.equals(e.wrappedKey, wrappedKey) && Arrays.equals(e.signature, signature)
                && Arrays.equals(e.ciphertext, ciphertext);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(cipher, keyType, counter);
        h = 31 * h + Arrays.hashCode(wrappedKey);
        h = 31 * h + Arrays.hashCode(signature);
        return 31 * h + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "<" + cipher.elementName() + " r=" + keyType.elementName() + " c=" + counter
                + (wrappedKey != null ? " k" : "") + (signature != null ? " s" : "")
                + "> " + ciphertext.length + " octets";
    }
}
