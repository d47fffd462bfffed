/**
 * Sample: signed firmware updates. A publisher signs a manifest (product, version, size,
 * SHA-256 of the image) with its Ed25519 identity key ({@link org.xp2p.samples.firmware.SignedManifest});
 * a device ({@link org.xp2p.samples.firmware.FirmwareUpdater}) accepts an offer only when it
 * is signed by the publisher key it pinned and newer than what it runs, then takes the image
 * in chunks over its direct, end-to-end encrypted link and installs it only once its size
 * and hash match the manifest. Every refusal names its {@link org.xp2p.samples.firmware.Refusal}.
 *
 * <p>The iq payloads ({@code urn:xp2p:sample:firmware:1}) are defined by {@code firmware.xsd}
 * beside these classes and validated on receipt. {@code xp2p sample firmware} runs it.
 */
package org.xp2p.samples.firmware;
