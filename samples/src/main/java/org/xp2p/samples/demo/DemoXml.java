package org.xp2p.samples.demo;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.jivesoftware.smack.util.StringUtils;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads the demo's own XML ({@code cars.xsd}): parses one element with DTDs and external
 * entities refused, validates it against the schema and hands back the DOM element. The
 * schema is compiled once; parsing and validation objects are made per call because they
 * are not thread-safe.
 */
final class DemoXml {
    static final String NAMESPACE = "urn:xp2p:demo:cars:1.0";
    /** Events and samples are one short element; anything longer is not ours. */
    static final int MAX_CHARS = 1024;

    private static final Schema SCHEMA = compile();

    private DemoXml() {
    }

    /**
     * @throws IllegalArgumentException with the reason when the text is not one valid
     *         {@code localName} element of the demo namespace
     */
    static Element parse(String xml, String localName) {
        if (xml.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a demo <" + localName + "/> has at most " + MAX_CHARS
                    + " characters, this one " + xml.length());
        }
        Element root;
        try {
            DocumentBuilder builder = documentBuilders().newDocumentBuilder();
            builder.setErrorHandler(null);
            root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
        if (!NAMESPACE.equals(root.getNamespaceURI()) || !localName.equals(root.getLocalName())) {
            throw new IllegalArgumentException("expected <" + localName + " xmlns='" + NAMESPACE + "'/>, got <"
                    + root.getLocalName() + " xmlns='" + root.getNamespaceURI() + "'/>");
        }
        try {
            Validator validator = SCHEMA.newValidator();
            validator.setErrorHandler(null);
            validator.validate(new DOMSource(root));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("<" + localName + "/> does not match cars.xsd: " + e.getMessage(), e);
        }
        return root;
    }

    /** Escapes an attribute value for the double-quoted form we write. */
    static String attr(String value) {
        return StringUtils.escapeForXmlAttribute(value).toString();
    }

    private static DocumentBuilderFactory documentBuilders() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    private static Schema compile() {
        URL xsd = DemoXml.class.getResource("cars.xsd");
        if (xsd == null) {
            throw new IllegalStateException("cars.xsd is missing from the samples jar; rebuild it");
        }
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("cars.xsd does not compile: " + e.getMessage(), e);
        }
    }
}
