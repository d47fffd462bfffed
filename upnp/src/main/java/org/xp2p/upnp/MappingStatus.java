package org.xp2p.upnp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one port mapping: its state, the mapping when there is one, and what went wrong on
 * the way (one line per method tried), so that "no gateway" is a clear answer rather than silence.
 */
public record MappingStatus(MappingState state, Mapping current, List<String> problems, Instant since) {
    public MappingStatus {
        Objects.requireNonNull(state, "state");
        problems = List.copyOf(problems);
        Objects.requireNonNull(since, "since");
        if (state.mapped() != (current != null)) {
            throw new IllegalArgumentException("a mapping exactly when state is REACHABLE or NOT_PUBLIC: " + state);
        }
    }

    public Optional<Mapping> mapping() {
        return Optional.ofNullable(current);
    }

    /** True only when a peer on the Internet can use the external endpoint. */
    public boolean publiclyReachable() {
        return state == MappingState.REACHABLE;
    }

    /** True when state or external endpoint differ, i.e. a device must re-publish where it can be reached. */
    public boolean endpointDiffers(MappingStatus other) {
        if (other == null || other.state != state) {
            return true;
        }
        return current != null && !current.sameEndpoint(other.current);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(state.name());
        if (current != null) {
            s.append(' ').append(current.method()).append(' ').append(current.protocol()).append(' ')
                    .append(current.externalAddress().getHostAddress()).append(':').append(current.externalPort())
                    .append(" -> ").append(current.internalPort()).append(" until ").append(current.expiresAt());
        }
        if (!problems.isEmpty()) {
            s.append(' ').append(problems);
        }
        return s.toString();
    }
}
