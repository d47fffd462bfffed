/**
 * Serverless messaging (XEP-0174): {@link org.xp2p.xmpp.linklocal.LinkLocalDevice} announces
 * the device with mDNS on one interface address, keeps the table of peers it browses,
 * accepts their streams only from the addresses they advertise, opens streams to them on
 * demand (from that same address) and hands received messages and iqs to the application's
 * {@link org.xp2p.xmpp.StanzaHandler} with {@link org.xp2p.xmpp.DeliveryPath#LINK_LOCAL}.
 * Plain by default, for ordinary clients such as Pidgin; with
 * {@link org.xp2p.xmpp.secure.E2eStanzaProtector} every stanza is end-to-end encrypted and
 * only allow-listed identities may talk.
 *
 * <p>With a DHT node ({@code .dht(node)}), {@link org.xp2p.xmpp.linklocal.DhtPeers} mirrors the
 * device's presence into the DHT and reaches contacts known only by identity key (from a
 * {@link org.xp2p.discovery.dht.ContactOffer}) at the endpoints of their signed records,
 * over links that arrive as {@link org.xp2p.xmpp.DeliveryPath#DIRECT_LINK}; a contact's
 * name is then provable only by the key that signs its record. {@code .mdns(false)} makes
 * a DHT-only device for networks without multicast.
 *
 * <pre>{@code
 * IdentityKey id = IdentityKeyFile.read(file, passcode);            // one key for both
 * DhtNode node = DhtNode.openUdp(DhtConfig.defaults(), NodeIdentity.of(id.privateKey(), 16), dhtBind);
 * node.bootstrap(seeds).get();
 * LinkLocalDevice car = LinkLocalDevice.builder("car7@fleet", lanAddress)
 *         .protector(new E2eStanzaProtector(endpoint, id, List.of(companyOffer.identityKey())))
 *         .dht(node).contact(companyOffer)                         // mdns(false) on multicast-less networks
 *         .handler(handler).start();
 * }</pre>
 *
 * <pre>{@code
 * LinkLocalDevice device = LinkLocalDevice.builder("juliet@pronto", InetAddress.getByName("192.168.1.20"))
 *         .handler((message, arrival) -> System.out.println(arrival.peer() + ": " + message.getBody()))
 *         .start();
 * device.send(StanzaBuilder.buildMessage().to(JidCreate.from("romeo@orchard")).setBody("hi").build());
 * }</pre>
 */
package org.xp2p.xmpp.linklocal;
