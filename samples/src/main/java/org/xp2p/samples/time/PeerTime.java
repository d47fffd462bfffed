package org.xp2p.samples.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A peer's answer to a time request.
 *
 * @param peer      who answered
 * @param peerTime  the UTC time it reported
 * @param zone      its time zone offset as it gave it ({@code +01:00}, {@code Z}...)
 * @param offset    how far its clock is ahead of ours (negative: behind), measured against the
 *                  midpoint of our request and its answer
 * @param roundTrip from our request to its answer, which bounds the offset's error by half of it
 */
public record PeerTime(String peer, Instant peerTime, String zone, Duration offset, Duration roundTrip) {
}
