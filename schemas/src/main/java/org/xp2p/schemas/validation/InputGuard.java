package org.xp2p.schemas.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.XMLFilterImpl;
import org.xp2p.schemas.Abbreviate;
import org.xp2p.schemas.Violation;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * The first stage after the SAX parser: maps our namespace aliases (and jabber:server)
 * to the names the schemas use, refuses documents whose root is not something we
 * validate, enforces the depth and attribute limits, and remembers which element is
 * being read so that schema errors can name it.
 */
final class InputGuard extends XMLFilterImpl {
    static final String CLIENT = "jabber:client";
    private static final String SERVER = "jabber:server";
    private static final Set<String> STANZAS = Set.of("message", "presence", "iq");
    private static final Set<String> E2E_ROOTS = Set.of("e2e", "aes", "cha", "acp", "synchE2e");

    private final XmlLimits limits;
    private final Deque<String> open = new ArrayDeque<>();
    private Locator locator;
    private String current = "(document)";

    InputGuard(XmlLimits limits) {
        this.limits = limits;
    }

    /** The element being started or ended when the last event was passed on. */
    String currentElement() {
        return current;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        this.locator = locator;
        super.setDocumentLocator(locator);
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        super.startPrefixMapping(prefix, canonical(uri));
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        current = localName;
        String ns = canonical(uri);
        if (open.isEmpty()) {
            checkRoot(ns, localName, uri);
        }
        if (open.size() >= limits.maxDepth()) {
            throw stop(localName, null, "elements nest deeper than " + limits.maxDepth() + " levels");
        }
        for (int i = 0; i < atts.getLength(); i++) {
            if (atts.getValue(i).length() > limits.maxAttributeChars()) {
                throw stop(localName, atts.getLocalName(i), "value of " + atts.getValue(i).length()
                        + " characters exceeds the limit of " + limits.maxAttributeChars());
            }
        }
        open.push(localName);
        super.startElement(ns, localName, qName, withCanonicalNamespaces(atts));
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        current = localName;
        super.endElement(canonical(uri), localName, qName);
        open.pop();
        current = open.isEmpty() ? "(document)" : open.peek();
    }

    private void checkRoot(String ns, String localName, String uri) throws SAXException {
        boolean stanza = CLIENT.equals(ns) && STANZAS.contains(localName);
        boolean p2p = Xp2pNamespace.P2P.uri().equals(ns) && localName.equals("p2p");
        boolean e2e = Xp2pNamespace.E2E.uri().equals(ns) && E2E_ROOTS.contains(localName);
        boolean identity = Xp2pNamespace.LINK_IDENTITY.uri().equals(ns) && localName.equals("identityProof");
        if (stanza || p2p || e2e || identity) {
            return;
        }
        String expected = "; expected jabber:client stanzas or " + String.join(", ", Xp2pNamespace.P2P.accepted())
                + ", " + String.join(", ", Xp2pNamespace.E2E.accepted()) + ", " + Xp2pNamespace.LINK_IDENTITY.uri();
        String reason;
        if (uri.isEmpty()) {
            reason = "<" + localName + "> has no namespace and is not a stanza" + expected;
        } else if (CLIENT.equals(ns) || Xp2pNamespace.of(ns).isPresent()) {
            reason = "<" + localName + "> is not a stanza or an xp2p element that can stand alone";
        } else {
            reason = "unknown namespace " + Abbreviate.quote(uri) + expected;
        }
        throw stop(localName, null, reason);
    }

    private SAXException stop(String element, String attribute, String reason) {
        int line = locator == null ? Violation.UNKNOWN : locator.getLineNumber();
        int column = locator == null ? Violation.UNKNOWN : locator.getColumnNumber();
        return new GuardException(Violation.of(element, attribute, reason).at(line, column));
    }

    private static Attributes withCanonicalNamespaces(Attributes atts) {
        for (int i = 0; i < atts.getLength(); i++) {
            String uri = atts.getURI(i);
            if (!uri.isEmpty() && !canonical(uri).equals(uri)) {
                AttributesImpl copy = new AttributesImpl(atts);
                for (int j = 0; j < copy.getLength(); j++) {
                    copy.setURI(j, canonical(copy.getURI(j)));
                }
                return copy;
            }
        }
        return atts;
    }

    /**
     * Stanzas copied out of a stream lose the stream's default namespace, so no namespace
     * is read as jabber:client, as is the server-to-server jabber:server.
     */
    private static String canonical(String uri) {
        return SERVER.equals(uri) || uri.isEmpty() ? CLIENT : Xp2pNamespace.canonical(uri);
    }

    /** Ends parsing with a violation the guard found itself. */
    static final class GuardException extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient Violation violation;

        GuardException(Violation violation) {
            super(violation.reason());
            this.violation = violation;
        }

        Violation violation() {
            return violation;
        }
    }
}
