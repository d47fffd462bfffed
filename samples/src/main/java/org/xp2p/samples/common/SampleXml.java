package org.xp2p.samples.common;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * One sample's XML vocabulary: the XSD its elements must satisfy, and a reader that parses
 * a received element (no DTDs, no external entities) and validates it before anyone looks
 * at it. Immutable and thread-safe (a validator and a parser are made per call).
 */
public final class SampleXml {
    private static final ErrorHandler THROW = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    };

    /** One per thread: making a builder costs more than parsing a small element, and builders are not thread-safe. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a secure-processing feature", e);
        }
    });

    private final String namespace;
    private final Schema schema;

    private SampleXml(String namespace, Schema schema) {
        this.namespace = namespace;
        this.schema = schema;
    }

    /**
     * @param namespace the target namespace of the schema
     * @param xsd       the schema, on the class path beside {@code owner}
     */
    public static SampleXml load(String namespace, Class<?> owner, String xsd) {
        URL url = Objects.requireNonNull(owner.getResource(xsd), () -> xsd + " is not on the class path beside " + owner);
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return new SampleXml(namespace, factory.newSchema(url));
        } catch (SAXException e) {
            throw new IllegalStateException("the sample schema " + url + " does not load: " + e.getMessage(), e);
        }
    }

    public String namespace() {
        return namespace;
    }

    /**
     * The element {@code xml} holds, once it validates.
     *
     * @throws InvalidXmlException with the parser's or validator's reason otherwise
     */
    public Element read(CharSequence xml) throws InvalidXmlException {
        Document doc;
        try {
            DocumentBuilder builder = BUILDER.get();
            builder.reset();
            builder.setErrorHandler(THROW); // the default handler also prints to stderr
            doc = builder.parse(new InputSource(new StringReader(xml.toString())));
        } catch (SAXException | IOException e) {
            throw new InvalidXmlException("not well-formed XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!namespace.equals(root.getNamespaceURI())) {
            throw new InvalidXmlException("<" + root.getLocalName() + "> is in namespace " + root.getNamespaceURI()
                    + ", not " + namespace);
        }
        try {
            Validator v = schema.newValidator();
            v.setErrorHandler(THROW);
            v.validate(new DOMSource(doc));
        } catch (SAXException e) {
            throw new InvalidXmlException("<" + root.getLocalName() + "> does not validate: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return root;
    }

    /** A received element that is not well-formed or does not validate; the message says why. */
    public static final class InvalidXmlException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidXmlException(String message) {
            super(message);
        }
    }
}
