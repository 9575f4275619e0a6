package io.stocktracker.edge.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * What the per-IP connection cap counts: an IPv4 client is one address, but an IPv6 host is routinely handed a whole
 * /64 (2^64 addresses it may use at will), so counting IPv6 per address would let one host open unlimited connections.
 * IPv6 clients are therefore counted per network prefix ({@code IPV6_CONNECTION_PREFIX}, default 64; 128 = per
 * address). Pure: never resolves a name.
 */
public final class AddressPrefix {
    public static final int DEFAULT_IPV6_PREFIX = 64;

    private AddressPrefix() {}

    /**
     * The counting key of a client address: an IPv4 address (also when written as IPv4-mapped IPv6,
     * {@code ::ffff:1.2.3.4}) in dotted form; an IPv6 address masked to {@code ipv6PrefixBits} as {@code "net/bits"}
     * ({@code "2001:db8:1:2:0:0:0:0/64"}), or the canonical address itself at 128. Anything that is not an IP literal
     * (it should not happen: the address comes from the socket or a parsed header) is its own key.
     */
    public static String key(String address, int ipv6PrefixBits) {
        if (ipv6PrefixBits < 1 || ipv6PrefixBits > 128) {
            throw new IllegalArgumentException("IPv6 prefix must be between 1 and 128, was " + ipv6PrefixBits);
        }
        Optional<InetAddress> literal = TrustedProxies.literal(address);
        if (literal.isEmpty()) {
            return address;
        }
        InetAddress ip = literal.get();
        // the JDK already turns ::ffff:a.b.c.d into an Inet4Address; a dual-stack socket reports v4 clients that way
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet6Address && ipv6PrefixBits == 128) {
            return withoutScope(ip.getHostAddress());
        }
        for (int bit = ipv6PrefixBits; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return withoutScope(InetAddress.getByAddress(bytes).getHostAddress()) + "/" + ipv6PrefixBits;
        } catch (java.net.UnknownHostException e) {
            return address; // cannot happen: 16 bytes are always a valid address
        }
    }

    private static String withoutScope(String text) {
        int percent = text.indexOf('%');
        return percent < 0 ? text : text.substring(0, percent);
    }
}
