package io.stocktracker.ingest.universe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.schemas.contract.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two ingest instances against one real broker: only the lease holder spends the listing requests. */
class UniverseRefresherTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of(Topics.SYMBOLS_UNIVERSE, Topics.configs().get(Topics.SYMBOLS_UNIVERSE)),
                1);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A paid listing: counts its requests. */
    static final class CountingListing implements Listing {
        final AtomicInteger requests = new AtomicInteger();
        final Set<String> symbols;

        CountingListing(Set<String> symbols) {
            this.symbols = symbols;
        }

        @Override
        public String name() {
            return "twelvedata";
        }

        @Override
        public Optional<Set<String>> fetch() {
            requests.incrementAndGet();
            return Optional.of(symbols);
        }
    }

    @Test
    void onlyTheLeaderFetchesTheListingsAndTheStandbyServesWhatItPublished() {
        CountingListing leaderListing = new CountingListing(Set.of("AAPL", "MSFT"));
        CountingListing standbyListing = new CountingListing(Set.of("AAPL", "MSFT", "NVDA"));
        SymbolUniverse leaderUniverse = new SymbolUniverse();
        SymbolUniverse standbyUniverse = new SymbolUniverse();
        AtomicBoolean standbyLeads = new AtomicBoolean(false);
        Duration day = Duration.ofDays(1);
        try (UniverseRefresher leader = new UniverseRefresher(List.of(leaderListing), leaderUniverse, kafka.bootstrapServers(), day,
                     Duration.ofMinutes(5), () -> true);
             UniverseRefresher standby = new UniverseRefresher(List.of(standbyListing), standbyUniverse, kafka.bootstrapServers(), day,
                     Duration.ofMinutes(5), standbyLeads::get)) {
            leader.start();
            try (UniverseTopic topic = new UniverseTopic(kafka.bootstrapServers())) {
                // the leader's universe is in memory before it is on the topic: wait for the topic
                await().atMost(WAIT).until(() -> topic.read(Duration.ofSeconds(10)).size() == 2);
            }
            assertThat(leaderListing.requests).hasValue(1);

            standby.start();
            await().atMost(WAIT).until(() -> standbyUniverse.size() > 0);
            assertThat(standbyListing.requests).as("a standby spends no listing request").hasValue(0);
            assertThat(standbyUniverse.listed()).as("it serves what the leader published")
                    .isEqualTo(Map.of("AAPL", "twelvedata", "MSFT", "twelvedata"));

            // the lease moves: the new leader fetches at once, starting from what the topic holds
            standbyLeads.set(true);
            standby.tookOver();
            await().atMost(WAIT).until(() -> standbyUniverse.contains("NVDA"));
            assertThat(standbyListing.requests).hasValue(1);
        }
    }
}
