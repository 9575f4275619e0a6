package io.stocktracker.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvReaderTest {
    enum Mode { none, jwt }

    static final EnvKeys KEYS = EnvKeys.of("demo")
            .key("PORT", "8080", "listening port")
            .key("TIMEOUT_MS", "1500", "a timeout in ms")
            .key("RETENTION", "P7D", "ISO-8601")
            .key("FLAG", "false", "a switch")
            .key("NAMES", "a, b,,c", "a list")
            .key("REDIS_URL", "redis://localhost:6379", "an address")
            .key("MODE", "none", "an enum")
            .key("HOST", "", "required")
            .secret("API_KEY", "a secret");

    @Test
    void defaultsApplyAndValuesAreTyped() {
        EnvReader r = KEYS.read(Map.of("HOST", "h"));
        assertThat(r.integer("PORT", 0, 65535)).isEqualTo(8080);
        assertThat(r.millis("TIMEOUT_MS", 1, 10_000)).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.duration("RETENTION", Duration.ofSeconds(1))).isEqualTo(Duration.of(7, ChronoUnit.DAYS));
        assertThat(r.bool("FLAG")).isFalse();
        assertThat(r.list("NAMES")).containsExactly("a", "b", "c");
        assertThat(r.uri("REDIS_URL", Set.of("redis", "rediss"))).isEqualTo(URI.create("redis://localhost:6379"));
        assertThat(r.enumValue("MODE", Mode.class, Mode.none)).isEqualTo(Mode.none);
        assertThat(r.required("HOST")).isEqualTo("h");
        r.done();
    }

    @Test
    void aBlankValueMeansUnsetSoTheDefaultApplies() {
        EnvReader r = KEYS.read(Map.of("PORT", "  ", "TIMEOUT_MS", "", "HOST", " h "));
        assertThat(r.integer("PORT", 0, 65535)).isEqualTo(8080);
        assertThat(r.millis("TIMEOUT_MS", 1, 10_000)).isEqualTo(Duration.ofMillis(1500));
        assertThat(r.string("HOST")).isEqualTo("h");
        r.done();
    }

    @Test
    void theWordNoneEmptiesAListWhoseDefaultIsNot() {
        assertThat(KEYS.read(Map.of("NAMES", "None")).list("NAMES")).isEmpty();
        assertThat(KEYS.read(Map.of("NAMES", "")).list("NAMES")).containsExactly("a", "b", "c");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        EnvReader r = KEYS.read(Map.of("PORT", "eighty", "TIMEOUT_MS", "0", "RETENTION", "7 days", "FLAG", "maybe",
                "REDIS_URL", "http://x", "MODE", "oauth"));
        r.integer("PORT", 0, 65535);
        r.millis("TIMEOUT_MS", 1, 10_000);
        r.duration("RETENTION", Duration.ofSeconds(1));
        r.bool("FLAG");
        r.uri("REDIS_URL", Set.of("redis", "rediss"));
        r.enumValue("MODE", Mode.class, Mode.none);
        r.required("HOST");
        r.check(false, "PORT must differ from TLS_PORT");
        assertThatThrownBy(r::done).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(8);
            assertThat(String.join("\n", e.problems())).contains("PORT", "TIMEOUT_MS", "RETENTION", "FLAG", "REDIS_URL", "MODE",
                    "HOST must be set", "TLS_PORT");
            assertThat(e.getMessage()).startsWith("invalid demo configuration:");
        });
    }

    @Test
    void aSecretNeverAppearsInAnError() {
        EnvKeys keys = EnvKeys.of("demo").secret("API_KEY", "a secret");
        EnvReader r = keys.read(Map.of("API_KEY", "hunter2"));
        r.integer("API_KEY", 0, 10);
        r.parsed("API_KEY", s -> {
            throw new IllegalArgumentException("not a key");
        }, null);
        assertThatThrownBy(r::done).satisfies(e -> assertThat(e.getMessage()).contains("API_KEY").doesNotContain("hunter2"));
    }

    @Test
    void aUrlsPasswordNeverAppearsInAnError() {
        EnvReader r = KEYS.read(Map.of("REDIS_URL", "http://:s3cret@host:1"));
        r.uri("REDIS_URL", Set.of("redis", "rediss"));
        assertThatThrownBy(r::done).satisfies(e -> assertThat(e.getMessage()).contains("REDIS_URL").doesNotContain("s3cret"));
    }

    @Test
    void readingAnUndeclaredKeyIsAProgrammingError() {
        assertThatThrownBy(() -> KEYS.read(Map.of()).string("NOPE")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EnvKeys.of("x").key("A", "", "").key("A", "", "")).hasMessageContaining("twice");
    }

    @Test
    void declaredKeysKeepTheirOrderForTheReadmeTable() {
        assertThat(KEYS.keys().stream().map(EnvKey::name).toList())
                .isEqualTo(List.of("PORT", "TIMEOUT_MS", "RETENTION", "FLAG", "NAMES", "REDIS_URL", "MODE", "HOST", "API_KEY"));
    }
}
