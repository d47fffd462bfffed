/**
 * Port mapping on the Internet gateway: PCP (RFC 6887), NAT-PMP (RFC 6886) and UPnP IGD v1/v2
 * (weupnp reads the device description and SOAP answers; discovery and the HTTP exchanges are our
 * own, for the network rule and because weupnp's XML reading follows external entities), with real
 * leases, renewal, restoration after a gateway restart, and deletion on close. Knows nothing of XMPP.
 *
 * <pre>{@code
 * PortMapperSettings settings = PortMapperSettings.on(lanAddress).build(); // the address facing the gateway
 * PortMapper mapper = new PortMapper(settings, deviceScheduler);           // the scheduler stays the caller's
 * mapper.addListener((mapping, before, now) -> republish(now));           // endpoint or state changed
 * PortMapping tcp = mapper.map(new MappingRequest(Protocol.TCP, 5222, 5222, Duration.ofHours(2), "xp2p alice"));
 * if (tcp.status().publiclyReachable()) { advertise(tcp.status().current()); }
 * ...
 * mapper.close();                                                          // deletes every mapping
 * }</pre>
 *
 * <p>Network rule: every datagram leaves from the configured local address and its interface; no
 * name is ever resolved (gateway answers must carry IP literals); SOAP goes only to the host that
 * answered SSDP.
 */
package org.xp2p.upnp;
