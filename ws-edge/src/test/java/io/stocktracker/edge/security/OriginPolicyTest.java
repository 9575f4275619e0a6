package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    @Test
    void sameOriginIsAllowedByDefaultAndNothingElse() {
        OriginPolicy p = OriginPolicy.of(List.of());
        assertThat(p.allows("http://edge.example:8080", "edge.example:8080")).isTrue();
        assertThat(p.allows("https://EDGE.example", "edge.example")).isTrue();
        assertThat(p.allows(null, "edge.example")).as("not a browser").isTrue();
        assertThat(p.allows("http://edge.example:8081", "edge.example:8080")).isFalse();
        assertThat(p.allows("http://evil.example", "edge.example")).isFalse();
        assertThat(p.allows("http://edge.example.evil.example", "edge.example")).isFalse();
        assertThat(p.allows("null", "edge.example")).isFalse();
        assertThat(p.allows("http://edge.example", null)).isFalse();
        assertThat(p.allows("http://edge.example/path", "edge.example")).isFalse();
        assertThat(p.allows("javascript:alert(1)", "edge.example")).isFalse();
        assertThat(p.allows("http://edge.example", "edge.example:80 evil")).isFalse();
    }

    @Test
    void aHostHeaderWithoutAPortMatchesEitherDefaultPort() {
        // behind a TLS-terminating proxy the edge may see http for an https page
        OriginPolicy p = OriginPolicy.of(List.of());
        assertThat(p.allows("https://edge.example", "edge.example")).isTrue();
        assertThat(p.allows("http://edge.example", "edge.example")).isTrue();
        assertThat(p.allows("http://edge.example:8080", "edge.example")).isFalse();
    }

    @Test
    void listedOriginsAreComparedNormalizedAndStarAllowsAll() {
        OriginPolicy p = OriginPolicy.of(List.of("https://App.Example.com:443", "http://localhost:5173"));
        assertThat(p.allows("https://app.example.com", "edge.internal")).isTrue();
        assertThat(p.allows("http://localhost:5173", "edge.internal")).isTrue();
        assertThat(p.allows("http://app.example.com", "edge.internal")).isFalse();
        assertThat(p.allows("http://localhost:5174", "edge.internal")).isFalse();
        assertThat(OriginPolicy.of(List.of("*")).allows("https://anything.example", "edge.internal")).isTrue();
    }

    @Test
    void aListedEntryThatIsNoOriginIsAConfigurationError() {
        assertThatThrownBy(() -> OriginPolicy.of(List.of("app.example.com"))).hasMessageContaining("ALLOWED_ORIGINS");
        assertThatThrownBy(() -> OriginPolicy.of(List.of("https://app.example.com/path"))).hasMessageContaining("ALLOWED_ORIGINS");
    }
}
