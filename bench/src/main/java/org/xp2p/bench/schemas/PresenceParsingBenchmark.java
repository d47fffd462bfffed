package org.xp2p.bench.schemas;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.jaxb.Xp2pJaxb;
import org.xp2p.schemas.smack.E2eElement;
import org.xp2p.schemas.smack.P2pElement;
import org.xp2p.schemas.smack.PublishedKey;
import org.xp2p.schemas.smack.Xp2pProviders;
import org.xp2p.schemas.validation.StanzaValidator;

/**
 * Parsing and validating one presence that carries {@code <e2e/>} with all 20 key types
 * (about 14 KB, most of it the post-quantum keys) and {@code <p2p/>}:
 * <ul>
 * <li>{@code pullParseOnly}: Smack's XML pull parser walking every event, nothing built
 * (the floor every path pays);</li>
 * <li>{@code smackProviders}: Smack's stanza parser with our providers (typed, checked);</li>
 * <li>{@code xsdValidationOnly}: our hardened SAX parser and the XSDs, nothing built;</li>
 * <li>{@code jaxbWithSchemaValidation}: the same plus JAXB binding (the reference path).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PresenceParsingBenchmark {
    private String xml;
    private byte[] bytes;
    private StanzaValidator validator;
    private Xp2pJaxb jaxb;

    @Setup
    public void setUp() {
        Xp2pProviders.register();
        validator = new StanzaValidator();
        jaxb = new Xp2pJaxb();
        xml = presence();
        bytes = xml.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public int pullParseOnly() throws Exception {
        XmlPullParser parser = PacketParserUtils.getParserFor(xml);
        int events = 0;
        while (parser.next() != XmlPullParser.Event.END_DOCUMENT) {
            events++;
        }
        return events;
    }

    @Benchmark
    public Object smackProviders() throws Exception {
        Presence p = (Presence) PacketParserUtils.parseStanza(xml);
        return E2eElement.in(p).orElseThrow();
    }

    @Benchmark
    public boolean xsdValidationOnly() throws Exception {
        return validator.validate(new ByteArrayInputStream(bytes), "bench").valid();
    }

    @Benchmark
    public Object jaxbWithSchemaValidation() throws Exception {
        return jaxb.read(new ByteArrayInputStream(bytes), "bench");
    }

    /** The presence under test; public so the smoke test can check it is valid. */
    public static String presence() {
        Random random = new Random(42);
        List<PublishedKey> keys = new ArrayList<>();
        for (KeyType type : KeyType.values()) {
            byte[] pub;
            if (type == KeyType.RSA) {
                pub = new byte[2 + 384 + 3];
                random.nextBytes(pub);
                pub[0] = (byte) (3072 & 0xff);
                pub[1] = (byte) (3072 >> 8);
                pub[2] |= (byte) 0x80;
            } else {
                pub = new byte[type.pubOctets()];
                random.nextBytes(pub);
            }
            keys.add(new PublishedKey(type, pub));
        }
        return "<presence xmlns='jabber:client' from='car@example.org/device' id='p1'>"
                + E2eElement.of(keys).toXML() + new P2pElement("203.0.113.5", 40000, "10.0.0.5", 40001).toXML()
                + "</presence>";
    }
}
