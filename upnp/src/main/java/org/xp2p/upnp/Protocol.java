package org.xp2p.upnp;

/** The transport protocol of a port mapping, with the numbers and names each gateway protocol uses for it. */
public enum Protocol {
    TCP(6, 2, "TCP"),
    UDP(17, 1, "UDP");

    private final int ianaNumber;
    private final int natPmpOpcode;
    private final String upnpName;

    Protocol(int ianaNumber, int natPmpOpcode, String upnpName) {
        this.ianaNumber = ianaNumber;
        this.natPmpOpcode = natPmpOpcode;
        this.upnpName = upnpName;
    }

    /** The IANA protocol number, as PCP carries it. */
    public int ianaNumber() {
        return ianaNumber;
    }

    /** The NAT-PMP request opcode that maps this protocol (RFC 6886: 1 = UDP, 2 = TCP). */
    public int natPmpOpcode() {
        return natPmpOpcode;
    }

    /** The value of UPnP's NewProtocol argument. */
    public String upnpName() {
        return upnpName;
    }

    static Protocol ofIana(int number) {
        for (Protocol p : values()) {
            if (p.ianaNumber == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("not TCP or UDP: protocol number " + number);
    }
}
