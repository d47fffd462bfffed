/**
 * The device's session with its XMPP broker: {@link org.xp2p.xmpp.broker.BrokerSession}
 * (Smack 4.4 over TLS with verified certificates, SCRAM, reconnection with backoff, presence
 * carrying {@code <e2e/>} and {@code <p2p/>}, contacts' presence into the peer directory),
 * {@link org.xp2p.xmpp.broker.BrokerConfig} and the
 * {@link org.xp2p.xmpp.broker.SubscriptionPolicy} that decides who may subscribe.
 */
package org.xp2p.xmpp.broker;
