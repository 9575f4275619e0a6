package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    static final TrustedProxies PROXIES = TrustedProxies.of("10.0.0.0/8", "192.0.2.10", "::1", "2001:db8:1::/48");

    @Test
    void nobodyIsTrustedByDefault() {
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.clientAddress("10.0.0.2", "203.0.113.9", "for=203.0.113.9")).isEqualTo("10.0.0.2");
        assertThat(TrustedProxies.NONE.forwardedProto("10.0.0.2", "https", null)).isEmpty();
    }

    @Test
    void untrustedPeerIsTheClientWhateverItsHeadersSay() {
        assertThat(PROXIES.clientAddress("203.0.113.5", "198.51.100.1", null)).isEqualTo("203.0.113.5");
        assertThat(PROXIES.clientAddress("203.0.113.5", null, "for=198.51.100.1")).isEqualTo("203.0.113.5");
        assertThat(PROXIES.forwardedProto("203.0.113.5", "https", null)).isEmpty();
    }

    @Test
    void trustedPeerYieldsTheRightMostUntrustedEntryAndIgnoresSpoofedLeftOnes() {
        assertThat(PROXIES.clientAddress("10.0.0.2", "203.0.113.9", null)).isEqualTo("203.0.113.9");
        // the client wrote "198.51.100.1, 1.1.1.1" itself; nginx appended what it saw, another trusted hop appended nginx
        assertThat(PROXIES.clientAddress("10.0.0.2", "198.51.100.1, 1.1.1.1, 203.0.113.9, 10.1.2.3", null))
                .isEqualTo("203.0.113.9");
        // forged or garbage entries left of the client are never looked at
        assertThat(PROXIES.clientAddress("10.0.0.2", "not-an-ip, 203.0.113.9", null)).isEqualTo("203.0.113.9");
        // several header lines count as one list
        assertThat(PROXIES.clientAddress("192.0.2.10", "198.51.100.1,203.0.113.9", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void everyHopTrustedYieldsTheLeftMost() {
        assertThat(PROXIES.clientAddress("10.0.0.2", "10.9.9.9, 10.1.1.1", null)).isEqualTo("10.9.9.9");
    }

    @Test
    void ipv6PeersEntriesAndBlocks() {
        assertThat(PROXIES.trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(PROXIES.trusts("[::1]")).isTrue();
        assertThat(PROXIES.trusts("2001:db8:1:ffff::1")).isTrue();
        assertThat(PROXIES.trusts("2001:db8:2::1")).isFalse();
        assertThat(PROXIES.clientAddress("::1", "2001:db8:2::7, 2001:db8:1::5", null)).isEqualTo("2001:db8:2:0:0:0:0:7");
        assertThat(PROXIES.clientAddress("::1", "[2001:db8:2::7]:4711", null)).isEqualTo("2001:db8:2:0:0:0:0:7");
        // an IPv4-mapped peer is the IPv4 address
        assertThat(PROXIES.clientAddress("::ffff:10.0.0.2", "203.0.113.9", null)).isEqualTo("203.0.113.9");
        // an untrusted IPv6 peer in any spelling is one canonical key for the per-IP cap
        assertThat(PROXIES.clientAddress("2001:db8:2:0::7", null, null)).isEqualTo("2001:db8:2:0:0:0:0:7");
    }

    @Test
    void portsOnForwardedEntriesAreDropped() {
        assertThat(PROXIES.clientAddress("10.0.0.2", "203.0.113.9:5555", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void rfc7239ForwardedIsReadWhenXForwardedForIsAbsent() {
        String forwarded = "for=198.51.100.1, for=192.0.2.60;proto=https;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"";
        assertThat(PROXIES.clientAddress("10.0.0.2", null, forwarded)).isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(PROXIES.clientAddress("10.0.0.2", null, "for=203.0.113.9;proto=https, for=10.0.0.7"))
                .isEqualTo("203.0.113.9");
        assertThat(PROXIES.forwardedProto("10.0.0.2", null, "for=203.0.113.9;proto=https")).contains("https");
        // X-Forwarded-For, when present, is the list our proxy appended to
        assertThat(PROXIES.clientAddress("10.0.0.2", "203.0.113.1", "for=198.51.100.1")).isEqualTo("203.0.113.1");
    }

    @Test
    void malformedHeadersFallBackToThePeer() {
        assertThat(PROXIES.clientAddress("10.0.0.2", "203.0.113.9, bogus", null)).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", "unknown", null)).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", "203.0.113.9,,", null)).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", "256.1.1.1", null)).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", "localhost", null)).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", null, "for=\"203.0.113.9")).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", null, "for=_hidden")).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", null, "by=10.0.0.1")).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", null, "garbage")).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", "   ", null)).isEqualTo("10.0.0.2");
    }

    @Test
    void forwardedProtoTakesTheClientFacingValueOnlyFromTrustedPeers() {
        assertThat(PROXIES.forwardedProto("10.0.0.2", "HTTPS, http", null)).contains("https");
        assertThat(PROXIES.forwardedProto("10.0.0.2", "http", null)).contains("http");
        assertThat(PROXIES.forwardedProto("10.0.0.2", "ftp", null)).isEmpty();
        assertThat(PROXIES.forwardedProto("10.0.0.2", null, null)).isEmpty();
    }

    @Test
    void badEntriesAreAllReportedAndNoNameIsResolved() {
        List<String> problems = new ArrayList<>();
        TrustedProxies p = TrustedProxies.parse(List.of("10.0.0.0/33", "proxy.internal", "10.0.0.1/8", "::1/129", " 10.0.0.1 ",
                "10.0.0.0/x"), problems::add);
        assertThat(problems).hasSize(5).allMatch(m -> m.startsWith("TRUSTED_PROXIES: '"));
        assertThat(problems.get(1)).contains("proxy.internal").contains("not an IP address");
        assertThat(p.entries()).containsExactly("10.0.0.1");
        assertThatThrownBy(() -> TrustedProxies.of("example.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.com");
    }
}
