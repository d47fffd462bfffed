package org.xp2p.samples.demo;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.packet.Message;

/**
 * One party's device as the scenario sees it, whichever way it meets the others
 * (serverless, or through a broker): an address to send to, a send that completes or
 * fails with the reason, and the links it has open.
 */
interface DemoDevice extends AutoCloseable {

    Party party();

    /** What the others put in {@code to}: an instance name or a full JID. */
    String address();

    /** Completes when the stanza was delivered (or at least written to a link); fails with the reason. */
    CompletableFuture<?> send(Message message);

    /** Whether {@code other} is in sight, so that a send to it can find it. */
    boolean sees(DemoDevice other, byte[] otherIdentityKey) throws InterruptedException;

    /** One line per open link: peer, path, direction. */
    List<String> links();

    @Override
    void close();
}
