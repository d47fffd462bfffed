package org.xp2p.discovery.dht;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Groups addresses into the "subnets" that per-subnet contact limits and per-address rate
 * limits count: /24 for IPv4 and /48 for IPv6, as one operator typically controls such a
 * block. On loopback every host shares 127.0.0.1, so a test network of many nodes would
 * look like one subnet; {@link #LOOPBACK_PER_PORT} then treats each loopback ip:port as
 * its own subnet (tests and benchmarks only). Immutable.
 */
public enum SubnetPolicy {
    /** /24 and /48 everywhere. */
    STANDARD,
    /** As STANDARD, except that each loopback ip:port counts as a subnet of its own. */
    LOOPBACK_PER_PORT;

    /** The group {@code address} belongs to, as a comparable key. */
    public String subnetOf(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        if (this == LOOPBACK_PER_PORT && address.getAddress().isLoopbackAddress()) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        if (address.getAddress() instanceof Inet4Address) {
            return "4:" + (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff);
        }
        return "6:" + Arrays.toString(Arrays.copyOf(ip, 6));
    }

    /** The key rate limits count under: a host, or each loopback port under LOOPBACK_PER_PORT. */
    public String hostOf(InetSocketAddress address) {
        if (this == LOOPBACK_PER_PORT && address.getAddress().isLoopbackAddress()) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        return address.getAddress().getHostAddress();
    }
}
