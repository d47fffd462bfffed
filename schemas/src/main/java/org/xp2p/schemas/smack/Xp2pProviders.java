package org.xp2p.schemas.smack;

import java.io.IOException;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.IqProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xp2p.schemas.SchemaViolationException;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.Violation;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * Smack providers for every xp2p element, registered under our namespace and both of its
 * aliases, so that any Smack application receives typed objects.
 *
 * <p>The providers never throw for invalid content: they return {@link InvalidExtension}
 * or {@link InvalidIq}, because Smack's default answer to a provider exception is to close
 * the connection. Only a broken XML stream itself ({@link XmlPullParserException},
 * {@link IOException}) propagates, as it must. They are stateless and thread-safe.
 */
public final class Xp2pProviders {
    private static final Logger LOG = LoggerFactory.getLogger(Xp2pProviders.class);

    private Xp2pProviders() {
    }

    /** Registers all providers with Smack's {@link ProviderManager}. Idempotent. */
    public static void register() {
        for (String ns : Xp2pNamespace.P2P.accepted()) {
            ProviderManager.addExtensionProvider(P2pElement.ELEMENT, ns, P2P);
        }
        for (String ns : Xp2pNamespace.E2E.accepted()) {
            ProviderManager.addExtensionProvider(E2eElement.ELEMENT, ns, E2E);
            for (SymmetricCipher cipher : SymmetricCipher.values()) {
                ProviderManager.addExtensionProvider(cipher.elementName(), ns, ENCRYPTED);
                ProviderManager.addIQProvider(cipher.elementName(), ns, ENCRYPTED_IQ);
            }
            ProviderManager.addIQProvider(SynchE2eIq.ELEMENT, ns, SYNCH_E2E);
        }
        ProviderManager.addIQProvider(IdentityProofIq.ELEMENT, IdentityProofIq.NAMESPACE, IDENTITY_PROOF);
    }

    /** Reads {@code <p2p/>}. */
    public static final ExtensionElementProvider<ExtensionElement> P2P = new Lenient(ElementReader::readP2p);
    /** Reads {@code <e2e/>}. */
    public static final ExtensionElementProvider<ExtensionElement> E2E = new Lenient(ElementReader::readE2e);
    /** Reads {@code <aes/>}, {@code <cha/>} and {@code <acp/>}. */
    public static final ExtensionElementProvider<ExtensionElement> ENCRYPTED = new Lenient(ElementReader::readEncrypted);
    /** Reads {@code <synchE2e/>} iqs. */
    public static final IqProvider<IQ> SYNCH_E2E = new LenientIq((parser, iqData) -> ElementReader.readSynchE2e(parser));
    /** Reads {@code <identityProof/>} iqs of secured link-local streams. */
    public static final IqProvider<IQ> IDENTITY_PROOF = new LenientIq((parser, iqData) -> {
        IdentityProofIq proof = ElementReader.readIdentityProof(parser);
        proof.setType(iqData.getType());
        return proof;
    });
    /** Reads iqs whose payload is {@code <aes/>}, {@code <cha/>} or {@code <acp/>}. */
    public static final IqProvider<IQ> ENCRYPTED_IQ = new LenientIq(
            (parser, iqData) -> new EncryptedIq(ElementReader.readEncrypted(parser), iqData.getType()));

    @FunctionalInterface
    private interface Reader<E> {
        E read(XmlPullParser parser) throws SchemaViolationException, XmlPullParserException, IOException;
    }

    private static final class Lenient extends ExtensionElementProvider<ExtensionElement> {
        private final Reader<? extends ExtensionElement> reader;

        Lenient(Reader<? extends ExtensionElement> reader) {
            this.reader = reader;
        }

        @Override
        public ExtensionElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
                throws XmlPullParserException, IOException {
            String element = parser.getName();
            String namespace = parser.getNamespace();
            try {
                return reader.read(parser);
            } catch (SchemaViolationException e) {
                return invalid(element, namespace, e.violation());
            } catch (RuntimeException e) {
                return invalid(element, namespace, unexpected(element, e));
            }
        }
    }

    @FunctionalInterface
    private interface IqReader {
        IQ read(XmlPullParser parser, IqData iqData) throws SchemaViolationException, XmlPullParserException, IOException;
    }

    private static final class LenientIq extends IqProvider<IQ> {
        private final IqReader reader;

        LenientIq(IqReader reader) {
            this.reader = reader;
        }

        @Override
        public IQ parse(XmlPullParser parser, int initialDepth, IqData iqData, XmlEnvironment xmlEnvironment)
                throws XmlPullParserException, IOException {
            String element = parser.getName();
            String namespace = parser.getNamespace();
            Violation violation;
            try {
                return reader.read(parser, iqData);
            } catch (SchemaViolationException e) {
                violation = e.violation();
            } catch (RuntimeException e) {
                violation = unexpected(element, e);
            }
            ElementReader.forwardToEnd(parser, initialDepth);
            LOG.debug("Invalid {} iq from {}: {}", element, iqData.getFrom(), violation);
            return new InvalidIq(element, namespace, violation);
        }
    }

    private static InvalidExtension invalid(String element, String namespace, Violation violation) {
        LOG.debug("Invalid {{{}}}{}: {}", namespace, element, violation);
        return new InvalidExtension(element, namespace, violation);
    }

    private static Violation unexpected(String element, RuntimeException e) {
        // A bug of ours, not the peer's: keep the connection, but say so loudly.
        LOG.error("Unexpected failure reading <{}>", element, e);
        return Violation.of(element, null, "could not be read: " + e);
    }
}
