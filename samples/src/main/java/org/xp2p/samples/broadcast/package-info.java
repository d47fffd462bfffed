/**
 * Sample: a broadcast signed with the sender's Ed25519 identity key goes to all its
 * contacts; each receiver verifies it against the origin's pinned key, checks that it is
 * fresh and new, and POSTs it to its HTTP webhook; relays pass it on, unchanged, to their
 * own contacts, and everyone drops the copies it has already seen. A forged, replayed or
 * stale broadcast is rejected, with its {@link org.xp2p.samples.broadcast.Verdict}, and
 * never posted.
 *
 * <p>{@link org.xp2p.samples.broadcast.SignedBroadcast} is the signed value,
 * {@link org.xp2p.samples.broadcast.BroadcastNode} the device's side,
 * {@link org.xp2p.samples.broadcast.WebhookPoster} the HTTP client. The payload is defined by
 * {@code broadcast.xsd} and validated on receipt. {@code xp2p sample broadcast} runs it.
 */
package org.xp2p.samples.broadcast;
