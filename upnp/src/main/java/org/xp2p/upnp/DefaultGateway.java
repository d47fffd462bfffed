package org.xp2p.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the IPv4 default gateway of one interface, where NAT-PMP and PCP servers live (RFC 6886 3,
 * RFC 6887 8.1). Java has no API for routes; on Linux the kernel's table is in /proc/net/route,
 * which shows the routes of the reading process's own network namespace. Elsewhere, set the
 * gateway address explicitly.
 */
final class DefaultGateway {
    static final Path PROC_ROUTE = Path.of("/proc/net/route");

    private DefaultGateway() {
    }

    static Optional<InetAddress> of(String interfaceName) {
        try {
            return parse(Files.readAllLines(PROC_ROUTE), interfaceName);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads /proc/net/route lines: Iface Destination Gateway Flags..., addresses in little-endian hex. */
    static Optional<InetAddress> parse(List<String> lines, String interfaceName) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].equals(interfaceName) || !f[1].equals("00000000")) {
                continue;
            }
            try {
                long gw = Long.parseLong(f[2], 16);
                int flags = Integer.parseInt(f[3], 16);
                boolean up = (flags & 0x1) != 0;
                boolean viaGateway = (flags & 0x2) != 0;
                if (!up || !viaGateway || gw == 0) {
                    continue;
                }
                byte[] b = {(byte) gw, (byte) (gw >> 8), (byte) (gw >> 16), (byte) (gw >> 24)};
                return Optional.of(InetAddress.getByAddress(b));
            } catch (NumberFormatException | UnknownHostException e) {
                // a line we do not understand is not a default route
            }
        }
        return Optional.empty();
    }
}
