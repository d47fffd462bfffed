package org.xp2p.samples.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.xp2p.discovery.PeerInfo;

/**
 * One peer as {@code xp2p peers} prints it: JID, addresses, where we learnt of it, and its
 * keys (identity fingerprint and allow-list name when known, E2E key types).
 */
record PeerView(String jid, List<String> addresses, String source, String keys) {

    static PeerView of(PeerInfo info, String identity) {
        List<String> addresses = new ArrayList<>();
        for (InetSocketAddress a : info.localEndpoints()) {
            addresses.add(DeviceConfigFile.endpoint(a));
        }
        info.externalEndpoint().ifPresent(a -> addresses.add(DeviceConfigFile.endpoint(a) + " (external)"));
        String e2e = info.e2eKeys().map(e -> "e2e " + e.keys().stream().map(k -> k.type().name().toLowerCase())
                .collect(Collectors.joining(","))).orElse("no e2e keys published");
        String id = info.identityKey().map(k -> "identity " + IdentityKeys.fingerprint(k)).orElse(identity);
        return new PeerView(info.jid(), addresses, info.source().name(), (id == null ? "" : id + "; ") + e2e);
    }

    String line() {
        return jid + "  [" + source + "]  " + (addresses.isEmpty() ? "(no address)" : String.join(" ", addresses))
                + "  " + keys;
    }
}
