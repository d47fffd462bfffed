package org.xp2p.schemas;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address written as a literal, as the {@code IpAddress} type of p2p.xsd
 * allows. Parsing never resolves a host name: a peer must not be able to make us send a
 * DNS query.
 */
public final class IpLiteral {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final String IPV4 = "(" + OCTET + "\\.){3}" + OCTET;
    private static final String H16 = "[0-9A-Fa-f]{1,4}";
    private static final String LS32 = "(" + H16 + ":" + H16 + "|" + IPV4 + ")";
    /** RFC 3986 IPv6address, the same alternatives as the pattern in p2p.xsd. */
    private static final String IPV6 = "(" + "(" + H16 + ":){6}" + LS32
            + "|::(" + H16 + ":){5}" + LS32
            + "|(" + H16 + ")?::(" + H16 + ":){4}" + LS32
            + "|((" + H16 + ":){0,1}" + H16 + ")?::(" + H16 + ":){3}" + LS32
            + "|((" + H16 + ":){0,2}" + H16 + ")?::(" + H16 + ":){2}" + LS32
            + "|((" + H16 + ":){0,3}" + H16 + ")?::" + H16 + ":" + LS32
            + "|((" + H16 + ":){0,4}" + H16 + ")?::" + LS32
            + "|((" + H16 + ":){0,5}" + H16 + ")?::" + H16
            + "|((" + H16 + ":){0,6}" + H16 + ")?::" + ")";
    private static final Pattern V4 = Pattern.compile(IPV4);
    private static final Pattern V6 = Pattern.compile(IPV6);
    /** The longest IPv6 text form (with an embedded IPv4 address) has 45 characters. */
    private static final int MAX_CHARS = 45;

    private IpLiteral() {
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal. */
    public static boolean isValid(String text) {
        return text != null && text.length() <= MAX_CHARS
                && (V4.matcher(text).matches() || V6.matcher(text).matches());
    }

    /**
     * The address of a literal.
     *
     * @throws IllegalArgumentException when {@code text} is not an IP literal
     */
    public static InetAddress parse(String text) {
        if (!isValid(text)) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + Abbreviate.quote(text));
        }
        try {
            // Safe: the text is a literal, which InetAddress parses without any lookup.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + Abbreviate.quote(text), e);
        }
    }
}
