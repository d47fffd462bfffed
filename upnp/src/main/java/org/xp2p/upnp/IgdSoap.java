package org.xp2p.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.bitlet.weupnp.NameValueHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * One SOAP action on a UPnP control URL, answered as element name to text (weupnp's
 * {@link NameValueHandler} reads the answer; a fault yields errorCode and errorDescription).
 *
 * <p>It replaces weupnp's {@code simpleUPnPcommand}, which reads answers with an XML reader that
 * follows external entities: any LAN host that answers our SSDP search first could have made us
 * fetch URLs or read local files. Here a DOCTYPE is refused, argument values are escaped, answers
 * are size-limited, and no HTTP proxy is consulted. Blocking, on the calling thread.
 */
final class IgdSoap {
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private IgdSoap() {
    }

    static Map<String, String> call(String controlUrl, String serviceType, String action, Map<String, String> args,
            Duration timeout) throws IOException, MalformedReplyException {
        byte[] body = envelope(serviceType, action, args).getBytes(StandardCharsets.UTF_8);
        HttpURLConnection c = (HttpURLConnection) URI.create(controlUrl).toURL().openConnection(Proxy.NO_PROXY);
        try {
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length); // also stops the JDK from silently re-sending the POST
            c.setRequestProperty("Content-Type", "text/xml; charset=\"utf-8\"");
            c.setRequestProperty("SOAPAction", "\"" + serviceType + "#" + action + "\"");
            c.setRequestProperty("Connection", "close");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            if (status != 200 && status != 500) {
                throw new MalformedReplyException("UPnP: " + action + " answered HTTP " + status);
            }
            byte[] answer;
            try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
                answer = in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (answer.length > MAX_ANSWER_BYTES) {
                throw new MalformedReplyException("UPnP: " + action + " answer is larger than " + MAX_ANSWER_BYTES
                        + " bytes");
            }
            Map<String, String> values = parse(answer, action);
            if (status == 500 && !values.containsKey("errorCode")) {
                throw new MalformedReplyException("UPnP: " + action + " answered HTTP 500 without a UPnP error");
            }
            return values;
        } finally {
            c.disconnect();
        }
    }

    static String envelope(String serviceType, String action, Map<String, String> args) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\r\n"
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>");
        s.append("<u:").append(action).append(" xmlns:u=\"").append(escape(serviceType)).append("\">");
        for (Map.Entry<String, String> a : args.entrySet()) {
            s.append('<').append(a.getKey()).append('>').append(escape(a.getValue())).append("</")
                    .append(a.getKey()).append('>');
        }
        s.append("</u:").append(action).append("></s:Body></s:Envelope>");
        return s.toString();
    }

    static Map<String, String> parse(byte[] answer, String action) throws MalformedReplyException {
        Map<String, String> values = new HashMap<>();
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setContentHandler(new NameValueHandler(values));
            reader.parse(new InputSource(new ByteArrayInputStream(answer)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new MalformedReplyException("UPnP: " + action + " answer is not SOAP: " + e.getMessage(), e);
        }
        return values;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
