package org.xp2p.discovery.dht;

import java.util.Optional;
import org.xp2p.discovery.dht.record.SignedRecord;

/**
 * What a value lookup found: the newest valid record any queried node held (verified, its
 * key derivation checked), how many hops away it was first found, and what the lookup
 * saw on the way.
 *
 * @param hops depth of the first node that returned the winning record (1 = a contact of
 *        our own table; 0 = our own store); 0 when nothing was found
 * @param queried nodes that answered
 * @param staleAnswers answers carrying an older seq, which were then written back to
 * @param invalidAnswers answers carrying a forged or misplaced record
 * @param holders distinct nodes that returned the winning record (its quorum: a caller
 *        that wants more assurance of freshness than the highest seq seen can require more)
 */
public record GetResult(Optional<SignedRecord> record, int hops, int queried, int staleAnswers, int invalidAnswers,
                        int holders) {
}
