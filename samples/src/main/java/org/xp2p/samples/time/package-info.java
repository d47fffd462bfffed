/**
 * Sample: entity time (XEP-0202) over a direct, end-to-end encrypted link. One device asks
 * another for its clock with Smack's {@link org.jivesoftware.smackx.time.packet.Time} iq
 * and shows how far apart the two clocks are ({@link org.xp2p.samples.time.TimeQuery});
 * the other answers from its own clock ({@link org.xp2p.samples.time.TimeService}). A
 * peer that does not offer the service, or does not answer in time, gives a clear
 * {@link org.xp2p.samples.time.TimeQueryException}. {@code xp2p sample time} runs it.
 */
package org.xp2p.samples.time;
