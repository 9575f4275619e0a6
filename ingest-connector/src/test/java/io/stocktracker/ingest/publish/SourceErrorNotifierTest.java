package io.stocktracker.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.MutableClock;
import io.stocktracker.ingest.schedule.ProviderChain.Attempt;
import io.stocktracker.ingest.source.SourceFailure;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceErrorNotifierTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-10T15:00:00Z"));
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    private final List<String[]> published = new ArrayList<>();
    private final SourceErrorNotifier notifier = new SourceErrorNotifier((channel, payload) -> published.add(new String[] {channel, payload}),
            new ErrorThrottle(Duration.ofSeconds(30)), metrics, clock);

    @Test
    void publishesTheSeedsErrorMessageForTheSymbolOnTheUpdatesChannel() {
        notifier.sourceFailed("AAPL", List.of(attempt("twelvedata", Reason.RATE_LIMITED), attempt("alphavantage", Reason.TIMEOUT)));

        assertThat(published).hasSize(1);
        assertThat(published.get(0)[0]).isEqualTo(Channels.UPDATES);
        String json = published.get(0)[1];
        SchemaValidator.shared().requireValid(SchemaValidator.UPDATES_MESSAGE, json);
        assertThat(JsonCodec.tree(json).get("type").asText()).isEqualTo("error");
        ServerMessage decoded = JsonCodec.fromJson(json, ServerMessage.class);
        assertThat(decoded).isInstanceOfSatisfying(ErrorMessage.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
            assertThat(e.symbol()).isEqualTo("AAPL");
            assertThat(e.message()).contains("twelvedata: RATE_LIMITED", "alphavantage: TIMEOUT");
        });
    }

    @Test
    void symbolNoSourceKnowsIsASubscriptionFailure() {
        notifier.sourceFailed("NOPE", List.of(attempt("twelvedata", Reason.UNKNOWN_SYMBOL), attempt("alphavantage", Reason.CIRCUIT_OPEN)));

        ErrorMessage e = (ErrorMessage) JsonCodec.fromJson(published.get(0)[1], ServerMessage.class);
        assertThat(e.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    }

    @Test
    void deadProviderDoesNotFloodOneErrorPerSymbolPerInterval() {
        for (int cycle = 0; cycle < 10; cycle++) {
            notifier.sourceFailed("AAPL", List.of(attempt("twelvedata", Reason.HTTP_ERROR)));
            notifier.sourceFailed("MSFT", List.of(attempt("twelvedata", Reason.HTTP_ERROR)));
            clock.advance(Duration.ofSeconds(2));
        }

        assertThat(published).hasSize(2);
        assertThat(metrics.counter("ingest.error.notifications", "outcome", "suppressed")).isEqualTo(18);
        clock.advance(Duration.ofSeconds(30));
        notifier.sourceFailed("AAPL", List.of(attempt("twelvedata", Reason.HTTP_ERROR)));
        assertThat(published).hasSize(3);
    }

    private static Attempt attempt(String provider, Reason reason) {
        return new Attempt(provider, SourceFailure.of(reason, reason.name()));
    }
}
