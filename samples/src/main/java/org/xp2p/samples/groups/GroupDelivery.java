package org.xp2p.samples.groups;

import java.util.List;
import java.util.Map;

/**
 * What one group send did: the audience it resolved to, the members whose copy went out on
 * their secured link, and for each member that did not get one, why.
 */
public record GroupDelivery(Audience audience, List<String> delivered, Map<String, String> failed) {
    public GroupDelivery {
        delivered = List.copyOf(delivered);
        failed = Map.copyOf(failed);
    }

    /** True when every member got its copy. */
    public boolean complete() {
        return failed.isEmpty();
    }
}
