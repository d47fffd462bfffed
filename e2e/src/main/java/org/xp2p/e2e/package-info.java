/**
 * End-to-end encryption of XMPP stanzas, byte-compatible with devices that implement the
 * Neuro-Foundation E2E specification (shared/spec/e2e-wire.md).
 *
 * <p>How the device runtime uses it:
 * <ol>
 *   <li>Create one {@link org.xp2p.e2e.LocalKeyRing} and one {@link org.xp2p.e2e.E2eEndpoint}
 *       with an {@link org.xp2p.e2e.E2ePolicy}. Publish {@link org.xp2p.e2e.E2eEndpoint#e2eElement()}
 *       in presence and synchE2e; republish from a rotation listener.</li>
 *   <li>Rotate with {@link org.xp2p.e2e.LocalKeyRing#onReconnect()} on each broker (re)connection
 *       and, if wanted, on a timer with {@link org.xp2p.e2e.KeyRotationSchedule} on the device's
 *       scheduled executor.</li>
 *   <li>Keep peers' keys in a {@link org.xp2p.e2e.PeerKeyBook}: {@code update(jid, e2e)} for every
 *       {@code <e2e/>} a peer publishes, {@code forget(jid)} when it publishes none, and
 *       {@code keys(jid)} for each stanza. It keeps a peer's previous keys across rotation.</li>
 *   <li>Outbound: {@code endpoint.encrypt(message|iq, ourFullJid, peerKeys)}.</li>
 *   <li>Inbound: {@code endpoint.decrypt(stanza, peerKeys)} gives
 *       {@link org.xp2p.e2e.Inbound.Accepted} (hand the stanza on) or
 *       {@link org.xp2p.e2e.Inbound.Rejected}: send its {@code errorReply} if present (iq get/set),
 *       deliver its {@code failedResponse} to the waiting request if present (iq result/error),
 *       drop it otherwise (messages; already logged once and counted in
 *       {@link org.xp2p.e2e.E2eEndpoint#stats()}). On a received
 *       {@link org.xp2p.e2e.DecryptionFailure#isReport(org.jivesoftware.smack.packet.IQ) report}
 *       of the peer, re-synchronise keys once and retry.</li>
 * </ol>
 * Sub-packages: {@code crypto} (the key types, ciphers and nonces, no XML) and
 * {@code identity} (the long-term Ed25519 identity key and its passcode-protected file).
 */
package org.xp2p.e2e;
