package org.xp2p.upnp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Where an address can be reached from: the whole Internet, or only some smaller network. A gateway
 * whose own external address is not {@link #PUBLIC} sits behind another NAT (carrier-grade or a
 * second home router), so a mapping on it does not make us reachable from outside.
 */
public enum AddressScope {
    PUBLIC,
    /** RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6 unique-local fc00::/7. */
    PRIVATE,
    /** 100.64.0.0/10, RFC 6598: the address space of carrier-grade NAT. */
    CARRIER_GRADE_NAT,
    LOOPBACK,
    LINK_LOCAL,
    /** Everything else nobody can route to from the Internet: 0/8, documentation, benchmarking, multicast, 240/4. */
    RESERVED;

    public boolean isPublic() {
        return this == PUBLIC;
    }

    public static AddressScope of(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (address.isLinkLocalAddress()) {
            return LINK_LOCAL;
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return RESERVED;
        }
        if (address instanceof Inet4Address) {
            return ofIpv4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(address.getAddress());
        }
        return RESERVED;
    }

    private static AddressScope ofIpv4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
            return PRIVATE;
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) {
            return CARRIER_GRADE_NAT;
        }
        boolean reserved = b0 == 0
                || b0 >= 240
                || (b0 == 192 && b1 == 0 && b2 == 0)          // IETF protocol assignments
                || (b0 == 192 && b1 == 0 && b2 == 2)          // TEST-NET-1
                || (b0 == 198 && b1 == 51 && b2 == 100)       // TEST-NET-2
                || (b0 == 203 && b1 == 0 && b2 == 113)        // TEST-NET-3
                || (b0 == 198 && (b1 == 18 || b1 == 19))      // benchmarking
                || (b0 == 192 && b1 == 88 && b2 == 99);       // deprecated 6to4 relay anycast
        return reserved ? RESERVED : PUBLIC;
    }

    private static AddressScope ofIpv6(byte[] a) {
        int b0 = a[0] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return PRIVATE;
        }
        if (b0 == 0x20 && (a[1] & 0xff) == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
            return RESERVED; // 2001:db8::/32 documentation
        }
        // Global unicast is 2000::/3; anything else left here (e.g. ::/8) is not routable.
        return (b0 & 0xe0) == 0x20 ? PUBLIC : RESERVED;
    }
}
