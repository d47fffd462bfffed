package org.xp2p.samples.groups;

import java.util.List;

/**
 * Who one selector reaches: the selector as written ({@code group:garden-lights},
 * {@code children:home/garden}...) and the member devices, in configuration order.
 */
public record Audience(String selector, List<String> members) {
    public Audience {
        members = List.copyOf(members);
    }
}
