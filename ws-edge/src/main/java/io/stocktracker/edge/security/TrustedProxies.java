package io.stocktracker.edge.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Which socket peers may tell the edge who the client is ({@code TRUSTED_PROXIES}), and the header reading that
 * follows from it. Pure: strings in, strings out, no sockets and never a DNS lookup (only IP literals are parsed).
 *
 * <p>The client is found by walking {@code X-Forwarded-For} (or, when absent, RFC 7239 {@code Forwarded: for=})
 * from the right: each proxy appends the address it saw, so entries right of the first untrusted one were written by
 * our own proxies, and everything left of it was written by the client and may be forged.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), new InetAddressSet());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final List<String> entries;
    private final InetAddressSet set;

    private TrustedProxies(List<String> entries, InetAddressSet set) {
        this.entries = List.copyOf(entries);
        this.set = set;
    }

    /**
     * Parses IP addresses and CIDR blocks (IPv4 or IPv6). Each bad entry is reported to {@code problems} and skipped,
     * so a configuration reader can list every mistake at once.
     */
    public static TrustedProxies parse(List<String> entries, Consumer<String> problems) {
        InetAddressSet set = new InetAddressSet();
        List<String> accepted = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Optional<String> problem = checkPattern(entry);
            if (problem.isPresent()) {
                problems.accept("TRUSTED_PROXIES: '" + entry + "' " + problem.get());
                continue;
            }
            try {
                // Jetty's matcher (CIDR on raw bytes); it only ever sees literals here, so it resolves nothing
                set.add(entry);
                accepted.add(entry);
            } catch (IllegalArgumentException e) {
                problems.accept("TRUSTED_PROXIES: '" + entry + "' " + e.getMessage());
            }
        }
        return accepted.isEmpty() ? NONE : new TrustedProxies(accepted, set);
    }

    /** {@link #parse(List, Consumer)} that throws on the first bad entry: for code and tests. */
    public static TrustedProxies of(String... entries) {
        List<String> problems = new ArrayList<>();
        TrustedProxies p = parse(List.of(entries), problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return p;
    }

    private static Optional<String> checkPattern(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        Optional<InetAddress> ip = literal(address);
        if (ip.isEmpty()) {
            return Optional.of("is not an IP address or CIDR block (host names are not resolved)");
        }
        if (slash >= 0) {
            int max = ip.get().getAddress().length * 8;
            String bits = entry.substring(slash + 1);
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
                return Optional.of("has a prefix length outside 0.." + max);
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<String> entries() {
        return entries;
    }

    public boolean trusts(String address) {
        return literal(address).map(set::test).orElse(false);
    }

    /**
     * The client's address. {@code peer} is the socket's remote address; the headers are the request's values (several
     * header lines joined with commas), or null. Untrusted peer, no header, or a malformed entry met before the client
     * was found: the peer itself. Every hop trusted: the left-most (the farthest one known).
     */
    public String clientAddress(String peer, String xForwardedFor, String forwarded) {
        Optional<InetAddress> peerIp = literal(peer);
        if (peerIp.isEmpty()) {
            return peer;
        }
        String canonicalPeer = peerIp.get().getHostAddress();
        if (!set.test(peerIp.get())) {
            return canonicalPeer;
        }
        List<String> hops = !isBlank(xForwardedFor) ? forwardedForList(xForwardedFor)
                : !isBlank(forwarded) ? forwardedElements(forwarded, "for") : List.of();
        if (hops == null || hops.isEmpty()) {
            return canonicalPeer;
        }
        InetAddress hop = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> ip = literal(stripPort(hops.get(i)));
            if (ip.isEmpty()) {
                return canonicalPeer;
            }
            hop = ip.get();
            if (!set.test(hop)) {
                return hop.getHostAddress();
            }
        }
        return hop.getHostAddress();
    }

    /**
     * The scheme the client used, as declared by a trusted peer ({@code X-Forwarded-Proto}, else the {@code proto=} of
     * {@code Forwarded}); empty when the peer is not trusted or the value is neither http nor https. The left-most value
     * is taken: it is what the client-facing proxy saw.
     */
    public Optional<String> forwardedProto(String peer, String xForwardedProto, String forwarded) {
        if (!trusts(peer)) {
            return Optional.empty();
        }
        String value = null;
        if (!isBlank(xForwardedProto)) {
            value = xForwardedProto.split(",", -1)[0];
        } else if (!isBlank(forwarded)) {
            List<String> protos = forwardedElements(forwarded, "proto");
            value = protos == null || protos.isEmpty() ? null : protos.get(0);
        }
        if (value == null) {
            return Optional.empty();
        }
        String proto = value.trim().toLowerCase(Locale.ROOT);
        return proto.equals("http") || proto.equals("https") ? Optional.of(proto) : Optional.empty();
    }

    private static List<String> forwardedForList(String header) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            out.add(part.trim());
        }
        return out;
    }

    /**
     * The values of one parameter of every RFC 7239 element, in order. An element without that parameter, or a
     * syntax error (unbalanced quotes, a pair without '='), makes the whole header malformed: null.
     */
    private static List<String> forwardedElements(String header, String parameter) {
        List<String> values = new ArrayList<>();
        for (String element : splitOutsideQuotes(header, ',')) {
            if (element == null) {
                return null;
            }
            String found = null;
            for (String pair : splitOutsideQuotes(element, ';')) {
                if (pair == null) {
                    return null;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    if (pair.isBlank()) {
                        continue;
                    }
                    return null;
                }
                if (pair.substring(0, eq).trim().equalsIgnoreCase(parameter)) {
                    found = unquote(pair.substring(eq + 1).trim());
                }
            }
            if (found == null) {
                if ("proto".equals(parameter)) {
                    continue; // proto is optional per element; for= is what identifies a hop
                }
                return null;
            }
            values.add(found);
        }
        return values;
    }

    /** Splits on {@code sep} outside double quotes; a null item marks unbalanced quotes. */
    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
                continue;
            } else if (c == sep && !quoted) {
                parts.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(quoted ? null : current.toString().trim());
        return parts;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /** "1.2.3.4:80" -> "1.2.3.4", "[2001:db8::1]:80" -> "2001:db8::1"; a bare IPv6 address is left alone. */
    static String stripPort(String hop) {
        String h = hop.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return h;
            }
            String rest = h.substring(close + 1);
            return rest.isEmpty() || rest.matches(":\\d{1,5}") ? h.substring(1, close) : h;
        }
        int colon = h.indexOf(':');
        if (colon > 0 && colon == h.lastIndexOf(':') && h.substring(colon + 1).matches("\\d{1,5}")) {
            return h.substring(0, colon);
        }
        return h;
    }

    /** An IP literal (IPv4 dotted quad, IPv6 with or without brackets) or empty; never resolves a name. */
    static Optional<InetAddress> literal(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String v = s.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (IPV4.matcher(v).matches()) {
            String[] parts = v.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(parts[i]);
                if (n > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) n;
            }
            try {
                return Optional.of(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        // a string with a colon is parsed as an IPv6 literal by the JDK (or rejected), never looked up
        if (v.indexOf(':') >= 0 && IPV6_CHARS.matcher(v).matches()) {
            try {
                return Optional.of(InetAddress.getByName(v));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
