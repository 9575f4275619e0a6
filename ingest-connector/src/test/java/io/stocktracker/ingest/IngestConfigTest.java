package io.stocktracker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    @Test
    void defaultsAreTheQuickStart() {
        IngestConfig c = IngestConfig.fromEnv(Map.of());

        assertThat(c.sources()).containsExactly("simulated");
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.httpPort()).isEqualTo(8083);
        assertThat(c.symbols()).isEmpty();
        assertThat(c.simulatedSymbolCount()).isEqualTo(50);
        assertThat(c.alphaVantagePerDay()).isEqualTo(25);
        assertThat(c.twelveDataPerMinute()).isEqualTo(8);
        assertThat(c.twelveDataPerDay()).isEqualTo(800);
        assertThat(c.kafkaBootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.redisUrl()).isEqualTo("redis://localhost:6379");
        assertThat(c.replaySpeed()).isEqualTo("1x");
        assertThat(c.replayLoop()).isTrue();
        assertThat(c.tradingWindow()).hasToString("09:30-16:00 [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY] America/New_York");
        assertThat(c.offHoursSharePercent()).isZero();
        assertThat(c.leaderElection()).isTrue();
        assertThat(c.leaderTtl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.httpRequestTimeout()).as("fits in the lease's safety margin").isLessThanOrEqualTo(c.leaderTtl().dividedBy(4));
        assertThat(c.instanceId()).isEmpty();
    }

    @Test
    void pacingAndLeaderSettingsAreReadAndChecked() {
        IngestConfig c = IngestConfig.fromEnv(Map.of(
                "INGEST_BUDGET_WINDOW", "always",
                "INGEST_MARKET_ZONE", "Europe/London",
                "INGEST_OFF_HOURS_SHARE_PERCENT", "5",
                "INGEST_LEADER_ELECTION", "false",
                "INGEST_LEADER_TTL_MS", "1500",
                "INGEST_INSTANCE_ID", " ingest-a "));

        assertThat(c.tradingWindow().isAlways()).isTrue();
        assertThat(c.tradingWindow().zone()).hasToString("Europe/London");
        assertThat(c.offHoursSharePercent()).isEqualTo(5);
        assertThat(c.leaderElection()).isFalse();
        assertThat(c.instanceId()).isEqualTo("ingest-a");

        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of(
                "INGEST_BUDGET_WINDOW", "16:00-09:30",
                "INGEST_OFF_HOURS_SHARE_PERCENT", "80",
                "INGEST_LEADER_TTL_MS", "100",
                "INGEST_INSTANCE_ID", "a b")))
                .hasMessageContaining("INGEST_BUDGET_WINDOW")
                .hasMessageContaining("open before it closes")
                .hasMessageContaining("INGEST_OFF_HOURS_SHARE_PERCENT must be between 0 and 50")
                .hasMessageContaining("INGEST_LEADER_TTL_MS must be between 300 and 600000")
                .hasMessageContaining("INGEST_INSTANCE_ID");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_MARKET_ZONE", "Mars/Olympus")))
                .hasMessageContaining("not a time zone id");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_BUDGET_DAYS", "weekdays")))
                .hasMessageContaining("INGEST_BUDGET_DAYS");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_LEADER_TTL_MS", "8000")))
                .as("a 5 s request could outlive a lease that stops 2 s before expiry")
                .hasMessageContaining("INGEST_HTTP_REQUEST_TIMEOUT_MS (5000) must be at most INGEST_LEADER_TTL_MS / 4 (2000)");
        assertThat(IngestConfig.fromEnv(Map.of("INGEST_LEADER_TTL_MS", "8000", "INGEST_LEADER_ELECTION", "false")).leaderTtl())
                .as("without election the margin does not matter").isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void readsEveryKeyFromTheEnvironment() {
        IngestConfig c = IngestConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "REDIS_URL", "redis://cache:6380",
                "INGEST_SOURCES", " TwelveData , alphavantage,simulated ",
                "TWELVEDATA_API_KEY", "td-key",
                "ALPHAVANTAGE_API_KEY", "av-key",
                "TWELVEDATA_BASE_URL", "https://127.0.0.1:9999",
                "INGEST_SYMBOLS", "aapl, brk.b ,^GSPC",
                "INGEST_INTERVAL_MS", "500",
                "TWELVEDATA_PER_MINUTE", "55",
                "INGEST_HTTP_PORT", "0"));

        assertThat(c.sources()).containsExactly("twelvedata", "alphavantage", "simulated");
        assertThat(c.symbols()).containsExactly("AAPL", "BRK.B", "^GSPC");
        assertThat(c.twelveDataBaseUrl()).isEqualTo("https://127.0.0.1:9999");
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.twelveDataPerMinute()).isEqualTo(55);
        assertThat(c.httpPort()).isZero();
    }

    @Test
    void providerBaseUrlsMustBeHttpsUnlessInsecureHttpIsExplicitlyAllowed() {
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("ALPHAVANTAGE_BASE_URL", "http://www.alphavantage.co")))
                .hasMessageContaining("ALPHAVANTAGE_BASE_URL must be an https URL");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("TWELVEDATA_BASE_URL", "http://api.twelvedata.com")))
                .hasMessageContaining("TWELVEDATA_BASE_URL must be an https URL");
        assertThat(IngestConfig.fromEnv(Map.of("TWELVEDATA_BASE_URL", "http://127.0.0.1:9999", "INGEST_ALLOW_INSECURE_HTTP", "true"))
                .twelveDataBaseUrl()).as("a local stub provider, in tests").isEqualTo("http://127.0.0.1:9999");
    }

    @Test
    void printsTheRedisPasswordAndTheApiKeysRedacted() {
        IngestConfig c = IngestConfig.fromEnv(Map.of("REDIS_URL", "redis://:redis-pw@cache:6379",
                "ALPHAVANTAGE_API_KEY", "av-secret", "TWELVEDATA_API_KEY", "td-secret"));

        assertThat(c.toString()).doesNotContain("redis-pw").doesNotContain("av-secret").doesNotContain("td-secret")
                .contains("redis://:***@cache:6379").contains("alphaVantageApiKey=***");
    }

    @Test
    void everyProblemIsNamedByItsVariable() {
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of(
                "INGEST_SOURCES", "twelvedata,bloomberg",
                "INGEST_SYMBOLS", "AAPL,not a symbol",
                "REDIS_URL", "localhost:6379",
                "REPLAY_SPEED", "warp",
                "INGEST_HTTP_PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown source 'bloomberg'")
                .hasMessageContaining("TWELVEDATA_API_KEY is required")
                .hasMessageContaining("INGEST_SYMBOLS: 'NOT A SYMBOL'")
                .hasMessageContaining("REDIS_URL")
                .hasMessageContaining("REPLAY_SPEED")
                .hasMessageContaining("INGEST_HTTP_PORT");
    }

    @Test
    void nonNumbersAreRejectedWithTheKey() {
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_INTERVAL_MS", "2s")))
                .hasMessageContaining("INGEST_INTERVAL_MS must be a whole number");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_INTERVAL_MS", "0")))
                .hasMessageContaining("INGEST_INTERVAL_MS must be between 1 and");
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("REPLAY_LOOP", "maybe")))
                .hasMessageContaining("REPLAY_LOOP must be true or false");
    }

    @Test
    void aMapOfOverridesChangesOnlyWhatItNames() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1234", "REDIS_URL", "redis://127.0.0.1:5555",
                "INGEST_SYMBOLS", "AAPL", "INGEST_HTTP_PORT", "0", "SIMULATED_SEED", "7", "NO_SUCH_KEY", "1");
        IngestConfig c = IngestConfig.fromEnv(env);

        assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:1234");
        assertThat(c.symbols()).containsExactly("AAPL");
        assertThat(c.simulatedSeed()).isEqualTo(7);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(IngestConfig.fromEnv(env)).isEqualTo(c);
    }

    @Test
    void aBlankValueTakesTheDefaultAsEveryServiceDoes() {
        assertThat(IngestConfig.fromEnv(Map.of("INGEST_INTERVAL_MS", " ", "INGEST_SOURCES", "")).interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(IngestConfig.fromEnv(Map.of("INGEST_SOURCES", "")).sources()).containsExactly("simulated");
    }

    @Test
    void everyBadNumberIsReportedAtOnceNotJustTheFirst() {
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_INTERVAL_MS", "2s", "SIMULATED_SEED", "x", "REPLAY_LOOP", "maybe")))
                .hasMessageContaining("INGEST_INTERVAL_MS must be a whole number")
                .hasMessageContaining("SIMULATED_SEED must be a whole number")
                .hasMessageContaining("REPLAY_LOOP must be true or false");
    }

    @Test
    void anApiKeyNeverAppearsInAnError() {
        assertThatThrownBy(() -> IngestConfig.fromEnv(Map.of("INGEST_SOURCES", "twelvedata", "TWELVEDATA_API_KEY", "td-secret",
                "INGEST_INTERVAL_MS", "0")))
                .hasMessageContaining("INGEST_INTERVAL_MS").satisfies(e -> assertThat(e.getMessage()).doesNotContain("td-secret"));
    }
}
