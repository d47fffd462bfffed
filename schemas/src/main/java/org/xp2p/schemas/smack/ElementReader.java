package org.xp2p.schemas.smack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.xp2p.schemas.Abbreviate;
import org.xp2p.schemas.Base64Text;
import org.xp2p.schemas.IpLiteral;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.SchemaViolationException;
import org.xp2p.schemas.SymmetricCipher;
import org.xp2p.schemas.Violation;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * Reads xp2p elements from Smack's pull parser with exactly the rules of our XSDs
 * (tests hold the two to the same verdicts), but without building a DOM or running a
 * schema validator: this runs on Smack's reader thread for every presence.
 *
 * <p>Each method starts on the element's start tag. On success it ends on the element's
 * end tag; on a {@link SchemaViolationException} it leaves the parser inside the element
 * and the caller forwards it (Smack's {@code Provider} does so itself).
 */
public final class ElementReader {

    /** Longest attribute value read; ML-DSA-87 signatures, the longest legitimate value, take 6172 characters. */
    public static final int MAX_ATTRIBUTE_CHARS = 8192;

    private static final Set<String> P2P_ATTRIBUTES = Set.of("extIp", "extPort", "locIp", "locPort");
    private static final Set<String> E2E_ATTRIBUTES = Set.of("aes", "cha", "acp");
    private static final Set<String> KEY_ATTRIBUTES = Set.of("pub");
    private static final Set<String> CIPHER_ATTRIBUTES = Set.of("r", "c", "k", "s");
    private static final Set<String> IDENTITY_ATTRIBUTES = Set.of("key", "sig");

    private ElementReader() {
    }

    public static P2pElement readP2p(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String element = parser.getName();
        checkAttributes(parser, P2P_ATTRIBUTES);
        P2pElement p2p = new P2pElement(ip(parser, "extIp"), port(parser, "extPort"),
                ip(parser, "locIp"), port(parser, "locPort"));
        expectEmpty(parser, element);
        return p2p;
    }

    public static E2eElement readE2e(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String element = parser.getName();
        checkAttributes(parser, E2E_ATTRIBUTES);
        boolean aes = flag(parser, "aes");
        boolean cha = flag(parser, "cha");
        boolean acp = flag(parser, "acp");
        List<PublishedKey> keys = new ArrayList<>();
        int depth = parser.getDepth();
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case START_ELEMENT -> keys.add(readKey(parser));
                case TEXT_CHARACTERS -> {
                    if (!parser.isWhiteSpace()) {
                        throw violation(parser, element, null, "text " + Abbreviate.quote(parser.getText().trim())
                                + " is not allowed; e2e holds only key elements");
                    }
                }
                case END_ELEMENT -> {
                    if (parser.getDepth() == depth) {
                        return new E2eElement(aes, cha, acp, keys);
                    }
                }
                case END_DOCUMENT -> throw violation(parser, element, null, "document ends inside the element");
                default -> {
                }
            }
        }
    }

    private static PublishedKey readKey(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String name = parser.getName();
        Optional<KeyType> type = Xp2pNamespace.of(parser.getNamespace())
                .filter(ns -> ns == Xp2pNamespace.E2E)
                .flatMap(ns -> KeyType.byElementName(name));
        if (type.isEmpty()) {
            throw violation(parser, name, null, "unknown key element {" + parser.getNamespace() + "}" + name
                    + "; known: x25519, x448, ed25519, ed448, p192..p521, bp160..bp512, rsa, ml128, ml192, ml256");
        }
        checkAttributes(parser, KEY_ATTRIBUTES);
        byte[] pub = base64(parser, "pub", required(parser, "pub"));
        PublishedKey key;
        try {
            key = new PublishedKey(type.get(), pub);
        } catch (IllegalArgumentException e) {
            throw violation(parser, name, "pub", e.getMessage());
        }
        expectEmpty(parser, name);
        return key;
    }

    public static EncryptedElement readEncrypted(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String element = parser.getName();
        SymmetricCipher cipher = SymmetricCipher.byElementName(element).orElseThrow(
                () -> violation(parser, element, null, "not a cipher element (aes, cha, acp)"));
        checkAttributes(parser, CIPHER_ATTRIBUTES);
        KeyType keyType = keyAlgorithm(parser, required(parser, "r"));
        long counter = counter(parser, required(parser, "c"));
        String k = parser.getAttributeValue(null, "k");
        String s = parser.getAttributeValue(null, "s");
        byte[] wrappedKey = k == null ? null : base64(parser, "k", k);
        byte[] signature = s == null ? null : base64(parser, "s", s);
        StringBuilder text = new StringBuilder();
        int depth = parser.getDepth();
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case TEXT_CHARACTERS -> text.append(parser.getText());
                case START_ELEMENT -> throw violation(parser, element, null,
                        "child element <" + parser.getName() + "> is not allowed; the content is base64 text");
                case END_ELEMENT -> {
                    if (parser.getDepth() == depth) {
                        byte[] ciphertext;
                        try {
                            ciphertext = Base64Text.decode(text.toString());
                        } catch (IllegalArgumentException e) {
                            throw violation(parser, element, null, "content is " + e.getMessage());
                        }
                        return new EncryptedElement(cipher, keyType, counter, wrappedKey, signature, ciphertext);
                    }
                }
                case END_DOCUMENT -> throw violation(parser, element, null, "document ends inside the element");
                default -> {
                }
            }
        }
    }

    /**
     * Reads {@code <synchE2e>}: at most one {@code <e2e/>} and one {@code <p2p/>}, in any
     * order, as xs:all says.
     */
    public static SynchE2eIq readSynchE2e(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String element = parser.getName();
        checkAttributes(parser, Set.of());
        E2eElement e2e = null;
        P2pElement p2p = null;
        int depth = parser.getDepth();
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case START_ELEMENT -> {
                    Optional<Xp2pNamespace> ns = Xp2pNamespace.of(parser.getNamespace());
                    String child = parser.getName();
                    if (ns.equals(Optional.of(Xp2pNamespace.E2E)) && child.equals(E2eElement.ELEMENT) && e2e == null) {
                        e2e = readE2e(parser);
                    } else if (ns.equals(Optional.of(Xp2pNamespace.P2P)) && child.equals(P2pElement.ELEMENT) && p2p == null) {
                        p2p = readP2p(parser);
                    } else {
                        throw violation(parser, element, null, "unexpected child {" + parser.getNamespace() + "}" + child
                                + "; synchE2e holds at most one e2e and one p2p");
                    }
                }
                case TEXT_CHARACTERS -> {
                    if (!parser.isWhiteSpace()) {
                        throw violation(parser, element, null, "text is not allowed in synchE2e");
                    }
                }
                case END_ELEMENT -> {
                    if (parser.getDepth() == depth) {
                        return new SynchE2eIq(e2e, p2p);
                    }
                }
                case END_DOCUMENT -> throw violation(parser, element, null, "document ends inside the element");
                default -> {
                }
            }
        }
    }

    /** Reads {@code <identityProof key sig/>} (link-identity.xsd): a 32-octet key, a 64-octet signature. */
    public static IdentityProofIq readIdentityProof(XmlPullParser parser)
            throws SchemaViolationException, XmlPullParserException, IOException {
        String element = parser.getName();
        checkAttributes(parser, IDENTITY_ATTRIBUTES);
        byte[] key = octets(parser, "key", IdentityProofIq.KEY_OCTETS);
        byte[] signature = octets(parser, "sig", IdentityProofIq.SIGNATURE_OCTETS);
        expectEmpty(parser, element);
        return new IdentityProofIq(key, signature);
    }

    private static byte[] octets(XmlPullParser parser, String attribute, int length) throws SchemaViolationException {
        byte[] value = base64(parser, attribute, required(parser, attribute));
        if (value.length != length) {
            throw violation(parser, parser.getName(), attribute, "has " + value.length + " octets, " + length + " required");
        }
        return value;
    }

    /** Moves the parser to the end tag of the element whose start tag was at {@code depth}. */
    public static void forwardToEnd(XmlPullParser parser, int depth) throws XmlPullParserException, IOException {
        while (!(parser.getEventType() == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == depth)) {
            if (parser.next() == XmlPullParser.Event.END_DOCUMENT) {
                return;
            }
        }
    }

    private static void checkAttributes(XmlPullParser parser, Set<String> allowed) throws SchemaViolationException {
        for (int i = 0; i < parser.getAttributeCount(); i++) {
            String name = parser.getAttributeName(i);
            String ns = parser.getAttributeNamespace(i);
            boolean unqualified = ns == null || ns.isEmpty();
            if (!unqualified || !allowed.contains(name)) {
                throw violation(parser, parser.getName(), name, "attribute is not allowed here"
                        + (allowed.isEmpty() ? "" : "; allowed: " + String.join(", ", sorted(allowed))));
            }
            if (parser.getAttributeValue(i).length() > MAX_ATTRIBUTE_CHARS) {
                throw violation(parser, parser.getName(), name, "value of " + parser.getAttributeValue(i).length()
                        + " characters exceeds the limit of " + MAX_ATTRIBUTE_CHARS);
            }
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static String required(XmlPullParser parser, String attribute) throws SchemaViolationException {
        String value = parser.getAttributeValue(null, attribute);
        if (value == null) {
            throw violation(parser, parser.getName(), attribute, "required attribute is missing");
        }
        return value;
    }

    private static String ip(XmlPullParser parser, String attribute) throws SchemaViolationException {
        String text = required(parser, attribute);
        if (!IpLiteral.isValid(text)) {
            throw violation(parser, parser.getName(), attribute, Abbreviate.quote(text) + " is not an IPv4 or IPv6 address");
        }
        return text;
    }

    private static int port(XmlPullParser parser, String attribute) throws SchemaViolationException {
        String text = required(parser, attribute).trim();
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= P2pElement.MAX_PORT) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw violation(parser, parser.getName(), attribute, Abbreviate.quote(text) + " is not a port (0.."
                + P2pElement.MAX_PORT + ")");
    }

    private static long counter(XmlPullParser parser, String text) throws SchemaViolationException {
        String trimmed = text.trim();
        try {
            long c = Long.parseLong(trimmed);
            if (c >= 0 && c <= EncryptedElement.MAX_COUNTER) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw violation(parser, parser.getName(), "c", Abbreviate.quote(text) + " is not a counter (0.."
                + EncryptedElement.MAX_COUNTER + ")");
    }

    private static boolean flag(XmlPullParser parser, String attribute) throws SchemaViolationException {
        String value = parser.getAttributeValue(null, attribute);
        if (value == null) {
            return true;
        }
        return switch (value.trim()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw violation(parser, parser.getName(), attribute, Abbreviate.quote(value)
                    + " is not a boolean (true, false, 1, 0)");
        };
    }

    private static KeyType keyAlgorithm(XmlPullParser parser, String r) throws SchemaViolationException {
        String name = r;
        int hash = r.indexOf('#');
        if (hash >= 0) {
            if (Xp2pNamespace.of(r.substring(0, hash)).filter(ns -> ns == Xp2pNamespace.E2E).isEmpty()) {
                throw violation(parser, parser.getName(), "r", "unknown key algorithm namespace "
                        + Abbreviate.quote(r.substring(0, hash)));
            }
            name = r.substring(hash + 1);
        }
        String keyName = name;
        return KeyType.byElementName(keyName).orElseThrow(() -> violation(parser, parser.getName(), "r",
                "unknown key algorithm " + Abbreviate.quote(keyName)));
    }

    private static byte[] base64(XmlPullParser parser, String attribute, String value) throws SchemaViolationException {
        try {
            return Base64Text.decode(value);
        } catch (IllegalArgumentException e) {
            throw violation(parser, parser.getName(), attribute, e.getMessage());
        }
    }

    private static void expectEmpty(XmlPullParser parser, String element)
            throws SchemaViolationException, XmlPullParserException, IOException {
        int depth = parser.getDepth();
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case START_ELEMENT -> throw violation(parser, element, null,
                        "child element <" + parser.getName() + "> is not allowed; the element must be empty");
                case TEXT_CHARACTERS -> {
                    if (!parser.isWhiteSpace()) {
                        throw violation(parser, element, null, "text is not allowed; the element must be empty");
                    }
                }
                case END_ELEMENT -> {
                    if (parser.getDepth() == depth) {
                        return;
                    }
                }
                case END_DOCUMENT -> throw violation(parser, element, null, "document ends inside the element");
                default -> {
                }
            }
        }
    }

    static SchemaViolationException violation(XmlPullParser parser, String element, String attribute, String reason) {
        return new SchemaViolationException(Violation.of(element, attribute, reason)
                .at(parser.getLineNumber(), parser.getColumnNumber()));
    }
}
