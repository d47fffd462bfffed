package org.xp2p.samples.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.impl.JidCreate;
import org.xp2p.e2e.identity.IdentityKey;
import org.xp2p.samples.common.ElementIq;
import org.xp2p.samples.common.LoopbackFleet;
import picocli.CommandLine;

/**
 * Updates pushed over a real secured link on loopback. Each test derives its versions
 * from what the device runs at that moment, so the tests do not depend on their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirmwareUpdateTest {
    private static final String PRODUCT = "lamp-x";
    private final SecureRandom random = new SecureRandom();
    private final IdentityKey publisherKey = IdentityKey.generate(random);
    private final IdentityKey rogueKey = IdentityKey.generate(random);
    private final FirmwareUpdater lamp = new FirmwareUpdater(PRODUCT, FirmwareVersion.parse("3.4.5"),
            publisherKey.publicKey(), 1024 * 1024);
    private LoopbackFleet fleet;
    private FirmwarePublisher publisher;

    @BeforeAll
    void start() throws Exception {
        fleet = LoopbackFleet.builder("fwtest")
                .device("publisher", publisherKey, (m, a) -> { })
                .device("lamp", lamp)
                .contacts("publisher", "lamp")
                .start();
        publisher = new FirmwarePublisher(fleet.device("publisher"), Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private byte[] image(int octets) {
        byte[] b = new byte[octets];
        random.nextBytes(b);
        return b;
    }

    private FirmwareVersion next() {
        FirmwareVersion v = lamp.running();
        return new FirmwareVersion(v.major(), v.minor() + 1, 0);
    }

    private UpdateResult push(SignedManifest offer, byte[] image) throws Exception {
        return publisher.push(fleet.instanceOf("lamp"), offer, image);
    }

    private UpdateResult lastEventAtTheDevice() {
        List<FirmwareUpdater.Event> events = lamp.events();
        FirmwareUpdater.Event last = events.get(events.size() - 1);
        assertEquals(fleet.instanceOf("publisher"), last.from());
        return last.result();
    }

    private void assertRefused(UpdateResult r, Refusal why, String detailStart, FirmwareVersion before, byte[] imageBefore) {
        assertFalse(r.installed(), r.toString());
        assertEquals(why, r.refusal(), r.toString());
        assertTrue(r.detail().startsWith(detailStart), r.detail());
        assertEquals(r, lastEventAtTheDevice());
        assertEquals(before, lamp.running(), "a refused update changed the running version");
        assertArrayEquals(imageBefore, lamp.installedImage(), "a refused update changed the installed image");
    }

    @Test
    void aNewerUpdateSignedByThePinnedPublisherIsInstalledAfterAChunkedTransfer() throws Exception {
        byte[] image = image(5 * FirmwareWire.CHUNK_OCTETS + 123); // six chunks, the last one short
        FirmwareManifest m = FirmwareManifest.of(PRODUCT, next(), image);
        UpdateResult r = push(SignedManifest.sign(m, publisherKey), image);
        assertTrue(r.installed(), r.toString());
        assertEquals(m.version(), lamp.running());
        assertArrayEquals(image, lamp.installedImage());
        UpdateResult atDevice = lastEventAtTheDevice();
        assertTrue(atDevice.installed(), atDevice.toString());
        assertEquals("version " + m.version() + ", " + image.length + " octets, size and SHA-256 verified", atDevice.detail());
    }

    @Test
    void aTamperedImageIsRefusedForItsHash() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(40_000);
        FirmwareManifest m = FirmwareManifest.of(PRODUCT, next(), image);
        byte[] tampered = image.clone();
        tampered[33_333] ^= 0x01;
        assertRefused(push(SignedManifest.sign(m, publisherKey), tampered), Refusal.HASH_MISMATCH,
                "the image's SHA-256 is ", before, installed);
    }

    @Test
    void anUpdateSignedByAnotherKeyIsRefusedAsTheWrongSigner() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(1000);
        UpdateResult r = push(SignedManifest.sign(FirmwareManifest.of(PRODUCT, next(), image), rogueKey), image);
        assertRefused(r, Refusal.WRONG_SIGNER, "the manifest is signed by " + SignedManifest.fingerprint(rogueKey.publicKey())
                + ", not by the pinned publisher " + SignedManifest.fingerprint(publisherKey.publicKey()), before, installed);
    }

    @Test
    void aManifestChangedAfterSigningIsRefusedForItsSignature() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(1000);
        SignedManifest signed = SignedManifest.sign(FirmwareManifest.of(PRODUCT, next(), image), publisherKey);
        FirmwareManifest raised = FirmwareManifest.of(PRODUCT, new FirmwareVersion(99, 0, 0), image);
        UpdateResult r = push(new SignedManifest(raised, signed.publisher(), signed.signature()), image);
        assertRefused(r, Refusal.BAD_SIGNATURE, "the signature is not the publisher's", before, installed);
    }

    @Test
    void anOlderOrEqualVersionIsRefused() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(1000);
        UpdateResult same = push(SignedManifest.sign(FirmwareManifest.of(PRODUCT, before, image), publisherKey), image);
        assertRefused(same, Refusal.NOT_NEWER, "version " + before + " is not newer than the running " + before, before,
                installed);
        FirmwareVersion older = new FirmwareVersion(before.major() - 1, 9, 9);
        UpdateResult old = push(SignedManifest.sign(FirmwareManifest.of(PRODUCT, older, image), publisherKey), image);
        assertRefused(old, Refusal.NOT_NEWER, "version " + older + " is not newer", before, installed);
    }

    @Test
    void aTruncatedTransferIsRefusedAtCommit() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(3 * FirmwareWire.CHUNK_OCTETS);
        FirmwareManifest m = FirmwareManifest.of(PRODUCT, next(), image);
        UpdateResult r = push(SignedManifest.sign(m, publisherKey), Arrays.copyOf(image, 2 * FirmwareWire.CHUNK_OCTETS + 5));
        assertRefused(r, Refusal.TRUNCATED, "received " + (2 * FirmwareWire.CHUNK_OCTETS + 5) + " of the manifest's "
                + image.length + " octets", before, installed);
    }

    @Test
    void anUpdateForAnotherProductOrTooLargeIsRefused() throws Exception {
        FirmwareVersion before = lamp.running();
        byte[] installed = lamp.installedImage();
        byte[] image = image(100);
        UpdateResult other = push(SignedManifest.sign(FirmwareManifest.of("oven-y", next(), image), publisherKey), image);
        assertRefused(other, Refusal.WRONG_PRODUCT, "the update is for oven-y, this device is lamp-x", before, installed);
        FirmwareManifest huge = new FirmwareManifest(PRODUCT, next(), 2L * 1024 * 1024, new byte[32]);
        assertRefused(push(SignedManifest.sign(huge, publisherKey), image), Refusal.TOO_LARGE,
                "the image has 2097152 octets, this device takes at most 1048576", before, installed);
    }

    @Test
    void aPayloadThatDoesNotValidateIsRefusedAsMalformedAndAStrayChunkAsOutOfOrder() throws Exception {
        IQ bad = new ElementIq("chunk", FirmwareWire.NAMESPACE, Map.of("offset", "-1"), "AAAA");
        bad.setType(IQ.Type.set);
        bad.setTo(JidCreate.from(fleet.instanceOf("lamp")));
        IQ answer = fleet.device("publisher").sendIq(bad).get(10, TimeUnit.SECONDS);
        assertEquals(StanzaError.Condition.bad_request, answer.getError().getCondition());
        assertTrue(answer.getError().getDescriptiveText().startsWith("MALFORMED: <chunk> does not validate"),
                answer.getError().getDescriptiveText());

        IQ stray = FirmwareWire.chunk(0, new byte[10], 0, 10);
        stray.setTo(JidCreate.from(fleet.instanceOf("lamp")));
        answer = fleet.device("publisher").sendIq(stray).get(10, TimeUnit.SECONDS);
        assertEquals(StanzaError.Condition.not_acceptable, answer.getError().getCondition());
        assertEquals("OUT_OF_ORDER: a chunk without an accepted offer; send <offer/> first",
                answer.getError().getDescriptiveText());
    }

    @Test
    void aDeviceThatDoesNotRunTheProtocolIsATransferError() {
        IOException e = assertThrows(IOException.class, () -> publisher.push(fleet.instanceOf("nobody"),
                SignedManifest.sign(FirmwareManifest.of(PRODUCT, next(), new byte[1]), publisherKey), new byte[1]));
        assertTrue(e.getMessage().startsWith("cannot reach " + fleet.instanceOf("nobody")), e.getMessage());
    }

    @Test
    void aDeviceWithoutAnUpdaterAnswersServiceUnavailable() {
        // the lamp's device pushes to the publisher, whose handler answers no requests
        FirmwarePublisher fromLamp = new FirmwarePublisher(fleet.device("lamp"), Duration.ofSeconds(10));
        IOException e = assertThrows(IOException.class, () -> fromLamp.push(fleet.instanceOf("publisher"),
                SignedManifest.sign(FirmwareManifest.of(PRODUCT, next(), new byte[1]), publisherKey), new byte[1]));
        assertEquals(fleet.instanceOf("publisher") + " answered service-unavailable: it does not run the firmware protocol",
                e.getMessage());
    }

    @Test
    void theCommandInstallsTheGoodUpdateAndRefusesTheOthersAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new FirmwareSample());
        cl.setOut(new PrintWriter(out));
        int status = cl.execute("--image-kib", "64");
        String text = out.toString();
        assertEquals(0, status, text);
        for (String expected : List.of("push 1.1.0, good: installed", "NOT_NEWER", "HASH_MISMATCH", "WRONG_SIGNER",
                "TRUNCATED", "thermostat runs 1.1.0")) {
            assertTrue(text.contains(expected), expected + " missing from:\n" + text);
        }
        assertFalse(text.contains("UNEXPECTED"), text);
    }
}
