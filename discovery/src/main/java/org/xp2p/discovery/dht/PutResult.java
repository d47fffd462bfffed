package org.xp2p.discovery.dht;

/**
 * What a publish did: how many of the closest nodes found were asked to store the record
 * and how many acknowledged storing (or already holding) it.
 *
 * @param hops depth of the closest node found by the lookup before storing
 */
public record PutResult(int stored, int asked, int hops) {

    public boolean succeeded() {
        return stored > 0;
    }
}
