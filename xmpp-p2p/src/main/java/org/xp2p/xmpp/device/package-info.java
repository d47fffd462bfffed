/**
 * The broker-mode device: {@link org.xp2p.xmpp.device.Device} ties the broker session,
 * direct links, peer directory, E2E endpoint and router together behind send, request and
 * a {@link org.xp2p.xmpp.StanzaHandler}. The serverless device lives in
 * {@code org.xp2p.xmpp.linklocal}; unifying the two is a later step.
 */
package org.xp2p.xmpp.device;
