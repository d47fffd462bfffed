package org.xp2p.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressScopeTest {
    @ParameterizedTest
    @CsvSource({
        "11.22.33.44, PUBLIC",
        "8.8.8.8, PUBLIC",
        "2a00:1450::1, PUBLIC",
        "10.1.2.3, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "172.32.0.1, PUBLIC",
        "192.168.1.1, PRIVATE",
        "fd00::1, PRIVATE",
        "100.64.0.1, CARRIER_GRADE_NAT",
        "100.127.255.255, CARRIER_GRADE_NAT",
        "100.128.0.1, PUBLIC",
        "127.0.0.1, LOOPBACK",
        "169.254.1.1, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "0.0.0.0, RESERVED",
        "192.0.2.1, RESERVED",
        "198.51.100.7, RESERVED",
        "203.0.113.9, RESERVED",
        "198.18.0.1, RESERVED",
        "224.0.0.1, RESERVED",
        "240.0.0.1, RESERVED",
        "2001:db8::1, RESERVED",
    })
    void classifiesAddressesByWhoCanReachThem(String address, AddressScope expected) throws Exception {
        assertEquals(expected, AddressScope.of(InetAddress.getByName(address)));
    }
}
