package org.xp2p.samples.firmware;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jivesoftware.smack.packet.AbstractIqBuilder;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.w3c.dom.Element;
import org.xp2p.samples.common.ElementIq;
import org.xp2p.samples.common.SampleXml;

/**
 * The firmware iq payloads of {@code firmware.xsd}: building them, and reading them back
 * once validated. Errors carry the {@link Refusal} as the first word of their text.
 * Stateless; thread-safe.
 */
final class FirmwareWire {
    static final String NAMESPACE = "urn:xp2p:sample:firmware:1";
    static final SampleXml XML = SampleXml.load(NAMESPACE, FirmwareWire.class, "firmware.xsd");
    /** Image octets per chunk: far below the link's stanza limit once in base64 and encrypted. */
    static final int CHUNK_OCTETS = 16 * 1024;

    private FirmwareWire() {
    }

    static IQ offer(SignedManifest offer) {
        FirmwareManifest m = offer.manifest();
        Map<String, String> a = new LinkedHashMap<>();
        a.put("product", m.product());
        a.put("version", m.version().toString());
        a.put("size", Long.toString(m.size()));
        a.put("sha256", HexFormat.of().formatHex(m.sha256()));
        a.put("publisher", Base64.getEncoder().encodeToString(offer.publisher()));
        a.put("signature", Base64.getEncoder().encodeToString(offer.signature()));
        return request(new ElementIq("offer", NAMESPACE, a, null));
    }

    static IQ chunk(long offset, byte[] data, int from, int length) {
        byte[] part = java.util.Arrays.copyOfRange(data, from, from + length);
        return request(new ElementIq("chunk", NAMESPACE, Map.of("offset", Long.toString(offset)),
                Base64.getEncoder().encodeToString(part)));
    }

    static IQ commit() {
        return request(new ElementIq("commit", NAMESPACE, Map.of(), null));
    }

    static IQ ack(IQ request, long received) {
        ElementIq ack = new ElementIq("ack", NAMESPACE, Map.of("received", Long.toString(received)), null);
        ack.setType(IQ.Type.result);
        ack.setStanzaId(request.getStanzaId());
        ack.setTo(request.getFrom());
        return ack;
    }

    static IQ refuse(IQ request, Refusal why, String detail) {
        StanzaError.Condition condition = why == Refusal.MALFORMED ? StanzaError.Condition.bad_request
                : StanzaError.Condition.not_acceptable;
        // Not IQ.createErrorResponse: it copies the request's child, which for an UnparsedIQ
        // Smack writes escaped, so the peer could not parse the decrypted answer.
        StanzaError error = StanzaError.getBuilder(condition).setDescriptiveEnText(why + ": " + detail).build();
        return ErrorIQ.builder(error, AbstractIqBuilder.createErrorResponse(request)).build();
    }

    private static IQ request(ElementIq iq) {
        iq.setType(IQ.Type.set);
        return iq;
    }

    /** The manifest an {@code <offer/>} element (already validated) carries. */
    static SignedManifest readOffer(Element offer) {
        FirmwareManifest m = new FirmwareManifest(offer.getAttribute("product"),
                FirmwareVersion.parse(offer.getAttribute("version")), Long.parseLong(offer.getAttribute("size")),
                HexFormat.of().parseHex(offer.getAttribute("sha256").toLowerCase(java.util.Locale.ROOT)));
        return new SignedManifest(m, Base64.getMimeDecoder().decode(offer.getAttribute("publisher")),
                Base64.getMimeDecoder().decode(offer.getAttribute("signature")));
    }

    /** The octets of a {@code <chunk/>} element (already validated; base64 may contain whitespace). */
    static byte[] readChunk(Element chunk) {
        return Base64.getMimeDecoder().decode(chunk.getTextContent());
    }
}
