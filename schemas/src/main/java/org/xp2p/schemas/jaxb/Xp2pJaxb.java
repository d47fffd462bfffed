package org.xp2p.schemas.jaxb;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshallerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;
import org.xp2p.schemas.SchemaViolationException;
import org.xp2p.schemas.Violation;
import org.xp2p.schemas.Xp2pNamespace;
import org.xp2p.schemas.jaxb.e2e.E2E;
import org.xp2p.schemas.validation.StanzaValidator;
import org.xp2p.schemas.validation.XmlLimits;

/**
 * Reads and writes xp2p elements through the JAXB binding generated from the XSDs, with
 * schema validation, on the same hardened parser as {@link StanzaValidator}. This is the
 * reference path (exact to the XSD); Smack providers are the fast path. Thread-safe.
 */
public final class Xp2pJaxb {
    private static final JAXBContext CONTEXT = newContext();

    private final StanzaValidator validator;

    public Xp2pJaxb() {
        this(XmlLimits.DEFAULT);
    }

    public Xp2pJaxb(XmlLimits limits) {
        this.validator = new StanzaValidator(limits);
    }

    /**
     * Validates a document (one of our elements, or a stanza carrying them) and returns
     * the binding of every xp2p element in it at the top or directly inside the stanza, in
     * document order: {@link E2E}, {@link org.xp2p.schemas.jaxb.p2p.P2P},
     * {@link org.xp2p.schemas.jaxb.e2e.SynchE2E} or a {@code JAXBElement<EncryptedPayload>}.
     *
     * @throws SchemaViolationException with the first violation when the document is invalid
     */
    public List<Object> read(InputStream in, String source) throws SchemaViolationException, IOException {
        ElementUnmarshaller collector = new ElementUnmarshaller();
        List<Violation> violations = validator.validate(in, source, collector).violations();
        if (!violations.isEmpty()) {
            throw new SchemaViolationException(violations.get(0));
        }
        return collector.results;
    }

    /** XML for a binding object, with our namespaces and no XML declaration. */
    public static String write(Object binding) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FRAGMENT, true);
            StringWriter out = new StringWriter();
            marshaller.marshal(binding, out);
            return out.toString();
        } catch (JAXBException e) {
            throw new IllegalArgumentException("cannot write " + binding.getClass().getSimpleName() + ": " + e, e);
        }
    }

    private static JAXBContext newContext() {
        try {
            return JAXBContext.newInstance(org.xp2p.schemas.jaxb.e2e.ObjectFactory.class,
                    org.xp2p.schemas.jaxb.p2p.ObjectFactory.class, org.xp2p.schemas.jaxb.linkidentity.ObjectFactory.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("The JAXB binding of the xp2p schemas does not load: " + e, e);
        }
    }

    /**
     * Hands each xp2p element at depth 0 or 1 to a fresh JAXB unmarshaller; the stanza
     * around them has no binding and is only validated.
     */
    private static final class ElementUnmarshaller extends DefaultHandler {
        final List<Object> results = new ArrayList<>();
        private UnmarshallerHandler target;
        private int depth;
        private int targetDepth;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (target == null && depth <= 1 && Xp2pNamespace.of(uri).isPresent()) {
                try {
                    target = CONTEXT.createUnmarshaller().getUnmarshallerHandler();
                } catch (JAXBException e) {
                    throw new SAXException(e);
                }
                targetDepth = depth;
                target.startDocument();
            }
            depth++;
            if (target != null) {
                target.startElement(uri, localName, qName, atts);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            depth--;
            if (target != null) {
                target.endElement(uri, localName, qName);
                if (depth == targetDepth) {
                    target.endDocument();
                    try {
                        results.add(target.getResult());
                    } catch (JAXBException | IllegalStateException e) {
                        throw new SAXException("cannot bind <" + localName + ">: " + e.getMessage(), e);
                    }
                    target = null;
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (target != null) {
                target.characters(ch, start, length);
            }
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            if (target != null) {
                target.startPrefixMapping(prefix, uri);
            }
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            if (target != null) {
                target.endPrefixMapping(prefix);
            }
        }
    }
}
