package org.xp2p.schemas.validation;

import java.io.InputStream;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.SAXException;

/**
 * The compiled xp2p schemas: p2p.xsd, e2e.xsd, link-identity.xsd and the stanza shell stanzas.xsd, loaded from
 * the classpath only (an XSD that names another location is refused). Thread-safe.
 */
public final class Xp2pSchema {
    /** Where the XSDs live on the classpath; their names are the schemaLocations they use. */
    public static final String XSD_FOLDER = "/org/xp2p/schemas/xsd/";
    private static final String[] FILES = {"p2p.xsd", "e2e.xsd", "link-identity.xsd", "stanzas.xsd"};

    private static final Schema SCHEMA = load();

    private Xp2pSchema() {
    }

    public static Schema schema() {
        return SCHEMA;
    }

    public static ValidatorHandler newValidatorHandler() {
        return SCHEMA.newValidatorHandler();
    }

    /** The text of one of our XSDs, for tools that want to show or ship it. */
    public static URL resource(String file) {
        URL url = Xp2pSchema.class.getResource(XSD_FOLDER + file);
        if (url == null) {
            throw new IllegalArgumentException("no xp2p schema named " + file);
        }
        return url;
    }

    private static Schema load() {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> classpathInput(systemId));
            StreamSource[] sources = new StreamSource[FILES.length];
            for (int i = 0; i < FILES.length; i++) {
                URL url = resource(FILES[i]);
                sources[i] = new StreamSource(url.openStream(), url.toExternalForm());
            }
            return factory.newSchema(sources);
        } catch (SAXException | java.io.IOException e) {
            throw new IllegalStateException("xp2p's own XSDs do not load: " + e.getMessage(), e);
        }
    }

    private static LSInput classpathInput(String systemId) {
        String file = systemId == null ? "" : systemId.substring(systemId.lastIndexOf('/') + 1);
        for (String known : FILES) {
            if (known.equals(file)) {
                URL url = resource(known);
                return new ClasspathInput(url);
            }
        }
        throw new IllegalStateException("xp2p schemas refer to an unknown schema " + systemId);
    }

    private static final class ClasspathInput implements LSInput {
        private final URL url;

        ClasspathInput(URL url) {
            this.url = url;
        }

        @Override public InputStream getByteStream() {
            try {
                return url.openStream();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + url, e);
            }
        }
        @Override public String getSystemId() { return url.toExternalForm(); }
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader characterStream) { }
        @Override public void setByteStream(InputStream byteStream) { }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String stringData) { }
        @Override public void setSystemId(String systemId) { }
        @Override public String getPublicId() { return null; }
        @Override public void setPublicId(String publicId) { }
        @Override public String getBaseURI() { return null; }
        @Override public void setBaseURI(String baseUri) { }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String encoding) { }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean certifiedText) { }
    }
}
