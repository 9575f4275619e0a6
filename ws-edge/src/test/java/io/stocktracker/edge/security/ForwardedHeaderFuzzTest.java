package io.stocktracker.edge.security;

import static io.stocktracker.edge.fuzz.Fuzz.length;
import static io.stocktracker.edge.fuzz.Fuzz.pick;
import static io.stocktracker.edge.fuzz.Fuzz.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fuzz.Fuzz;
import io.stocktracker.edge.fuzz.Fuzz.Property;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Forwarded-For}, {@code Forwarded} and {@code X-Forwarded-Proto} as a client or a chain of proxies may send
 * them (up to Jetty's 8 KiB header limit), from trusted and untrusted peers: the client address is always an IP literal
 * (the peer's, or one a trusted hop vouched for), the scheme http, https or nothing, and nothing throws.
 */
class ForwardedHeaderFuzzTest {
    private static final TrustedProxies PROXIES = TrustedProxies.of("10.0.0.0/8", "127.0.0.1", "fd00::/8", "::1");
    private static final String[] PEERS = {"10.1.2.3", "127.0.0.1", "::1", "fd00::7", "203.0.113.9", "2001:db8::1",
            "0:0:0:0:0:0:0:1", "::ffff:10.0.0.1"};
    private static final String[] HOPS = {"198.51.100.7", "10.0.0.2", "10.9.9.9:443", "[2001:db8::5]:8080", "2001:db8::5",
            "\"[2001:db8::6]\"", "fd00::1", "unknown", "_hidden", "999.1.1.1", "1.2.3", "::ffff:1.2.3.4", "[::1]", "[", "]",
            "::", "1::2::3", "01.02.03.04", "1.2.3.4:99999", "\"10.0.0.3\"", "", " ", "localhost", "%31.2.3.4", "fe80::1%eth0"};
    private static final int HEADER = 8192;

    record Request(String peer, String xForwardedFor, String forwarded, String proto) {
        long size() {
            return len(xForwardedFor) + len(forwarded) + len(proto);
        }

        private static long len(String s) {
            return s == null ? 0 : s.length();
        }
    }

    @Test
    void theClientAddressIsAlwaysAnIpLiteralAndTheSchemeHttpOrHttps() {
        Fuzz.check(new Property<>("forwarded-headers", ForwardedHeaderFuzzTest::request, Request::size,
                Fuzz.linear(64, 32 * 1024), req -> {
                    String client = PROXIES.clientAddress(req.peer(), req.xForwardedFor(), req.forwarded());
                    assertThat(TrustedProxies.literal(client)).as("client %s", client).isPresent();
                    if (!PROXIES.trusts(req.peer())) {
                        assertThat(client).isEqualTo(TrustedProxies.literal(req.peer()).orElseThrow().getHostAddress());
                    }
                    Optional<String> proto = PROXIES.forwardedProto(req.peer(), req.proto(), req.forwarded());
                    assertThat(proto.orElse("https")).isIn("http", "https");
                }));
    }

    private static Request request(SplittableRandom r) {
        String xff = r.nextInt(3) == 0 ? null : list(r, ",", false);
        String forwarded = r.nextInt(3) == 0 ? null : forwarded(r);
        String proto = r.nextInt(2) == 0 ? null : pick(r, "https", "http", "HTTPS, http", "", "ws", "https;", ",https")
                + (r.nextInt(10) == 0 ? text(r, ",; \"=", 100) : "");
        return new Request(pick(r, PEERS), xff, forwarded, proto);
    }

    private static String list(SplittableRandom r, String separator, boolean forwardedSyntax) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(10) == 0 ? r.nextInt(1500) : r.nextInt(6);
        for (int i = 0; i < n && b.length() < HEADER; i++) {
            if (i > 0) {
                b.append(separator);
            }
            if (forwardedSyntax) {
                b.append(pick(r, "for=", "For=", "by=10.0.0.1;for=", "proto=https;for=", "for=\"", "host=x;", ";for=", "for"));
            }
            b.append(r.nextInt(8) == 0 ? text(r, "0123456789abcdef:.[]\"\\,;= ", length(r, 20, 200)) : pick(r, HOPS));
            if (forwardedSyntax && r.nextInt(4) == 0) {
                b.append(pick(r, ";proto=https", ";proto=\"http\"", ";proto=", ";by=\"unknown\"", "\\", "\""));
            }
        }
        return b.length() > HEADER ? b.substring(0, HEADER) : b.toString();
    }

    private static String forwarded(SplittableRandom r) {
        return list(r, pick(r, ",", ", ", ",,"), true);
    }
}
