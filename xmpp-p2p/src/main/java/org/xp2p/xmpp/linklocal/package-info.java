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
 * <pre>{@code
 * LinkLocalDevice device = LinkLocalDevice.builder("juliet@pronto", InetAddress.getByName("192.168.1.20"))
 *         .handler((message, arrival) -> System.out.println(arrival.peer() + ": " + message.getBody()))
 *         .start();
 * device.send(StanzaBuilder.buildMessage().to(JidCreate.from("romeo@orchard")).setBody("hi").build());
 * }</pre>
 */
package org.xp2p.xmpp.linklocal;
