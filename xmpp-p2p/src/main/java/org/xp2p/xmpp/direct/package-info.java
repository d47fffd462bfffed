/**
 * Direct links between broker contacts: XEP-0174 streams (the {@code link} package) with
 * full JIDs in the headers, opened to the endpoint {@link org.xp2p.xmpp.direct.AddressChoice}
 * picks from {@code <p2p/>}, and accepted only after
 * {@link org.xp2p.xmpp.direct.DirectLinkAuthenticator} checked the claimed JID against the
 * roster, the presence and the source address (stage one; stage two, every stanza encrypted
 * and signed, is the device's inbound pipeline).
 */
package org.xp2p.xmpp.direct;
