package org.xp2p.e2e;

import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.smack.Xp2pProviders;

/** Two devices, Alice and Bob, and the stanzas the tests send between them. */
final class Fixtures {
    static final EntityFullJid ALICE = jid("alice@example.org/laptop");
    static final EntityFullJid BOB = jid("bob@example.org/phone");

    static {
        Xp2pProviders.register();
    }

    private Fixtures() {
    }

    static EntityFullJid jid(String s) {
        try {
            return JidCreate.entityFullFrom(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A policy that allows every type, for exercising weak types too. */
    static E2ePolicy anyStrength(KeyType preferred, SymmetricCipher cipher) {
        return E2ePolicy.DEFAULT.withMinSecurityBits(0).withPreferredKeyTypes(List.of(preferred))
                .withPreferredCiphers(List.of(cipher));
    }

    /** An endpoint whose ring holds {@code types}; RSA at 2048 bits to keep tests quick. */
    static E2eEndpoint endpoint(String label, Set<KeyType> types, E2ePolicy policy) {
        LocalKeyRing ring = new LocalKeyRing(types, 112, new DeterministicRandom("keys-" + label));
        return new E2eEndpoint(ring, policy, new DeterministicRandom("seal-" + label));
    }

    static Message chat(String id, String body) {
        return StanzaBuilder.buildMessage(id).to(BOB).ofType(Message.Type.chat).setBody(body).build();
    }

    /** The stanza as the recipient's parser reads it off the wire, with the sender stamped in {@code from}. */
    @SuppressWarnings("unchecked")
    static <S extends Stanza> S received(Stanza sent, EntityFullJid from) {
        try {
            S parsed = (S) PacketParserUtils.parseStanza(sent.toXML().toString());
            parsed.setFrom(from);
            return parsed;
        } catch (Exception e) {
            throw new IllegalStateException("cannot re-parse " + sent.toXML(), e);
        }
    }
}
