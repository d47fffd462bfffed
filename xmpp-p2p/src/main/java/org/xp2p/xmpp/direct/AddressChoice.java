package org.xp2p.xmpp.direct;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.xp2p.discovery.PeerInfo;
import org.xp2p.schemas.smack.P2pElement;

/**
 * Which of a peer's two published endpoints to use, by the rule of the p2p specification:
 * when the peer's external IP equals ours, both sit behind the same gateway and we use its
 * local endpoint; otherwise its external one. The same rule names the source address an
 * inbound link from that peer must come from. IPv6 addresses and hosts with public
 * addresses (which publish the same address as local and external) follow the same rule;
 * address equality is {@link InetAddress#equals}, so textual forms do not matter.
 *
 * @param target the endpoint to connect to
 * @param kind   which of the two it is
 */
public record AddressChoice(InetSocketAddress target, Kind kind) {

    public enum Kind { LOCAL, EXTERNAL }

    /**
     * @param ours our own published {@code <p2p/>}, or null when we publish none (then we
     *             cannot share a gateway with anyone: external)
     * @param peer the peer as the directory knows it
     * @return empty when the peer published no endpoint
     */
    public static Optional<AddressChoice> of(P2pElement ours, PeerInfo peer) {
        Optional<InetSocketAddress> external = peer.externalEndpoint();
        Optional<InetSocketAddress> local = peer.localEndpoints().stream().findFirst();
        if (external.isEmpty()) {
            return local.map(l -> new AddressChoice(l, Kind.LOCAL));
        }
        if (local.isPresent() && sameGateway(ours, external.get())) {
            return Optional.of(new AddressChoice(local.get(), Kind.LOCAL));
        }
        return Optional.of(new AddressChoice(external.get(), Kind.EXTERNAL));
    }

    /** Whether the peer's external address is our own external address. */
    static boolean sameGateway(P2pElement ours, InetSocketAddress peerExternal) {
        return ours != null && ours.external().getAddress().equals(peerExternal.getAddress());
    }

    /** The address an inbound link from {@code peer} must come from, if it published any. */
    public static Optional<InetAddress> expectedSource(P2pElement ours, PeerInfo peer) {
        return of(ours, peer).map(c -> c.target().getAddress());
    }
}
