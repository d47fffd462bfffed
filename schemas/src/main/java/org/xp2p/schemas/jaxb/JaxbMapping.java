package org.xp2p.schemas.jaxb;

import jakarta.xml.bind.JAXBElement;
import java.util.ArrayList;
import java.util.List;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.jaxb.e2e.E2E;
import org.xp2p.schemas.jaxb.e2e.EncryptedPayload;
import org.xp2p.schemas.jaxb.e2e.ObjectFactory;
import org.xp2p.schemas.jaxb.e2e.PublicKey;
import org.xp2p.schemas.jaxb.e2e.SynchE2E;
import org.xp2p.schemas.jaxb.p2p.P2P;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.EncryptedElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.PublishedKey;
import org.xp2p.schemas.smack.SynchE2eIq;

/**
 * Converts between the binding generated from the XSDs and the immutable elements the
 * rest of xp2p uses. Tests prove the two agree: each element survives
 * element -> JAXB -> XML -> validation -> JAXB -> element unchanged.
 */
public final class JaxbMapping {
    private static final ObjectFactory E2E_FACTORY = new ObjectFactory();

    private JaxbMapping() {
    }

    public static P2pElement fromJaxb(P2P p) {
        return new P2pElement(p.getExtIp(), p.getExtPort(), p.getLocIp(), p.getLocPort());
    }

    public static P2P toJaxb(P2pElement e) {
        P2P p = new P2P();
        p.setExtIp(e.extIp());
        p.setExtPort(e.extPort());
        p.setLocIp(e.locIp());
        p.setLocPort(e.locPort());
        return p;
    }

    /**
     * @throws IllegalArgumentException when a key passes the XSD but not the model (an RSA
     *         key whose size prefix disagrees with its length)
     */
    public static E2eElement fromJaxb(E2E e) {
        List<PublishedKey> keys = new ArrayList<>();
        for (JAXBElement<?> key : e.getX25519OrX448OrEd25519()) {
            String name = key.getName().getLocalPart();
            KeyType type = KeyType.byElementName(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown key element " + name));
            keys.add(new PublishedKey(type, ((PublicKey) key.getValue()).getPub()));
        }
        return new E2eElement(e.isAes(), e.isCha(), e.isAcp(), keys);
    }

    public static E2E toJaxb(E2eElement element) {
        E2E e = new E2E();
        e.setAes(element.aes());
        e.setCha(element.cha());
        e.setAcp(element.acp());
        for (PublishedKey key : element.keys()) {
            e.getX25519OrX448OrEd25519().add(keyElement(key.type(), key.pub()));
        }
        return e;
    }

    public static EncryptedElement fromJaxb(JAXBElement<EncryptedPayload> element) {
        String name = element.getName().getLocalPart();
        SymmetricCipher cipher = SymmetricCipher.byElementName(name)
                .orElseThrow(() -> new IllegalArgumentException("not a cipher element: " + name));
        EncryptedPayload p = element.getValue();
        String r = p.getR();
        String keyName = r.substring(r.indexOf('#') + 1);
        KeyType keyType = KeyType.byElementName(keyName)
                .orElseThrow(() -> new IllegalArgumentException("unknown key algorithm " + keyName));
        return new EncryptedElement(cipher, keyType, p.getC(), p.getK(), p.getS(), p.getValue());
    }

    public static JAXBElement<EncryptedPayload> toJaxb(EncryptedElement element) {
        EncryptedPayload p = new EncryptedPayload();
        p.setR(element.keyType().elementName());
        p.setC(element.counter());
        p.setK(element.wrappedKey());
        p.setS(element.signature());
        p.setValue(element.ciphertext());
        return switch (element.cipher()) {
            case AES -> E2E_FACTORY.createAes(p);
            case CHA -> E2E_FACTORY.createCha(p);
            case ACP -> E2E_FACTORY.createAcp(p);
        };
    }

    public static SynchE2eIq fromJaxb(SynchE2E s) {
        return new SynchE2eIq(s.getE2E() == null ? null : fromJaxb(s.getE2E()),
                s.getP2P() == null ? null : fromJaxb(s.getP2P()));
    }

    public static SynchE2E toJaxb(SynchE2eIq iq) {
        SynchE2E s = new SynchE2E();
        iq.e2e().ifPresent(e -> s.setE2E(toJaxb(e)));
        iq.p2p().ifPresent(p -> s.setP2P(toJaxb(p)));
        return s;
    }

    private static JAXBElement<? extends PublicKey> keyElement(KeyType type, byte[] pub) {
        // Each key element has its own generated type (the XSD fixes its length); the
        // factory methods pick it, so the marshalled XML needs no xsi:type.
        ObjectFactory f = E2E_FACTORY;
        return switch (type) {
            case X25519 -> f.createE2EX25519(with(f.createPublicKey32(), pub));
            case X448 -> f.createE2EX448(with(f.createPublicKey56(), pub));
            case ED25519 -> f.createE2EEd25519(with(f.createPublicKey32(), pub));
            case ED448 -> f.createE2EEd448(with(f.createPublicKey57(), pub));
            case P192 -> f.createE2EP192(with(f.createPublicKey48(), pub));
            case P224 -> f.createE2EP224(with(f.createPublicKey56(), pub));
            case P256 -> f.createE2EP256(with(f.createPublicKey64(), pub));
            case P384 -> f.createE2EP384(with(f.createPublicKey96(), pub));
            case P521 -> f.createE2EP521(with(f.createPublicKey132(), pub));
            case BP160 -> f.createE2EBp160(with(f.createPublicKey40(), pub));
            case BP192 -> f.createE2EBp192(with(f.createPublicKey48(), pub));
            case BP224 -> f.createE2EBp224(with(f.createPublicKey56(), pub));
            case BP256 -> f.createE2EBp256(with(f.createPublicKey64(), pub));
            case BP320 -> f.createE2EBp320(with(f.createPublicKey80(), pub));
            case BP384 -> f.createE2EBp384(with(f.createPublicKey96(), pub));
            case BP512 -> f.createE2EBp512(with(f.createPublicKey128(), pub));
            case RSA -> f.createE2ERsa(with(f.createRsaPublicKey(), pub));
            case ML128 -> f.createE2EMl128(with(f.createPublicKey2112(), pub));
            case ML192 -> f.createE2EMl192(with(f.createPublicKey3136(), pub));
            case ML256 -> f.createE2EMl256(with(f.createPublicKey4160(), pub));
        };
    }

    private static <K extends PublicKey> K with(K key, byte[] pub) {
        key.setPub(pub);
        return key;
    }
}
