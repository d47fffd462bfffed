package org.xp2p.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.PublishedKey;
import org.xp2p.schemas.smack.Xp2pProviders;

/** Well-formed keys and parsing shortcuts shared by the schema tests. */
final class Fixtures {
    private Fixtures() {
    }

    static {
        Xp2pProviders.register();
    }

    /** Registers the providers (idempotent); call from tests that parse stanzas. */
    static void providers() {
        // the static initialiser did it
    }

    /** A pub of the right size and layout for {@code type}, from a seeded generator. */
    static byte[] pub(KeyType type, long seed) {
        Random random = new Random(seed);
        if (type != KeyType.RSA) {
            byte[] pub = new byte[type.pubOctets()];
            random.nextBytes(pub);
            return pub;
        }
        int bits = 2048;
        byte[] pub = new byte[2 + bits / 8 + 3];
        pub[0] = (byte) bits;
        pub[1] = (byte) (bits >> 8);
        byte[] modulus = new byte[bits / 8];
        random.nextBytes(modulus);
        modulus[0] |= (byte) 0x80;
        System.arraycopy(modulus, 0, pub, 2, modulus.length);
        pub[pub.length - 3] = 1;
        pub[pub.length - 2] = 0;
        pub[pub.length - 1] = 1;
        return pub;
    }

    static PublishedKey key(KeyType type) {
        return new PublishedKey(type, pub(type, type.ordinal()));
    }

    static E2eElement allKeys() {
        List<PublishedKey> keys = new ArrayList<>();
        for (KeyType t : KeyType.values()) {
            keys.add(key(t));
        }
        return E2eElement.of(keys);
    }

    static Stanza parseStanza(String xml) throws Exception {
        return PacketParserUtils.parseStanza(xml);
    }

    /** Parses a lone extension element through whatever provider Smack has for it. */
    static ExtensionElement parseExtension(String xml) throws Exception {
        XmlPullParser parser = PacketParserUtils.getParserFor(xml);
        return PacketParserUtils.parseExtensionElement(parser.getName(), parser.getNamespace(), parser, null);
    }
}
