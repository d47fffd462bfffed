/**
 * The broker-mode device: {@link org.xp2p.xmpp.device.Device} ties the broker session,
 * direct links, peer directory, E2E endpoint and router together behind send, request and
 * a {@link org.xp2p.xmpp.StanzaHandler}. With a DHT node and its contacts' offers it also
 * mirrors its presence into the DHT and reaches those contacts while the broker is down.
 * The serverless device lives in {@code org.xp2p.xmpp.linklocal}; unifying the two is a
 * later step.
 *
 * <pre>{@code
 * Device car = Device.builder(BrokerConfig.tls("fleet.example", "xmpp.fleet.example", 5222, "car7", password, "car"))
 *         .subscriptions(SubscriptionPolicy.allowList(Set.of(owner)))
 *         .directLinks(DirectLinkConfig.on(lanAddress))
 *         .dht(node).contact(ownerOffer)      // optional: found through the DHT when the broker is not
 *         .handler((message, arrival) -> System.out.println(arrival.peer() + " via " + arrival.path()))
 *         .start();
 * Delivery d = car.send(StanzaBuilder.buildMessage().to(ownerFullJid).setBody("door opened").build()).get();
 * }</pre>
 */
package org.xp2p.xmpp.device;
