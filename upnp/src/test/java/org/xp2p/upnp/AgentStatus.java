package org.xp2p.upnp;

/** One "status KEY ..." or "event KEY ..." line of {@link MapperAgent}, read back. */
record AgentStatus(String key, MappingState state, String method, String externalAddress, int externalPort,
        long lifetimeSeconds, long expiresAtMillis, int renewals, int restorations, String problems, String line) {

    static AgentStatus parse(String line) {
        int bar = line.indexOf(" | ");
        String problems = bar < 0 ? "" : line.substring(bar + 3);
        String[] w = (bar < 0 ? line : line.substring(0, bar)).split(" ");
        // w: status|event KEY STATE METHOD EXTADDR EXTPORT LIFETIME EXPIRES RENEWALS RESTORATIONS
        return new AgentStatus(w[1], MappingState.valueOf(w[2]), w[3], w[4], w[5].equals("-") ? 0 : Integer.parseInt(w[5]),
                w[6].equals("-") ? 0 : Long.parseLong(w[6]), w[7].equals("-") ? 0 : Long.parseLong(w[7]),
                Integer.parseInt(w[8]), Integer.parseInt(w[9]), problems, line);
    }

    @Override
    public String toString() {
        return line;
    }
}
