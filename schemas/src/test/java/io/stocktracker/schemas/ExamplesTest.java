package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.AlertTriggered;
import io.stocktracker.schemas.ws.Alerts;
import io.stocktracker.schemas.ws.BarUpdate;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.Connected;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Pong;
import io.stocktracker.schemas.ws.Refresh;
import io.stocktracker.schemas.ws.TokenExpiring;
import io.stocktracker.schemas.ws.TokenRefreshed;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.Subscribed;
import io.stocktracker.schemas.ws.Unsubscribe;
import io.stocktracker.schemas.ws.Unsubscribed;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON example printed in the seed document (examples/seed) and one of every extension
 * (examples/extension) validates against its own schema and its envelope, and survives
 * decode + encode through the Java records as the same JSON tree.
 */
class ExamplesTest {
    /**
     * @param file     resource under examples/
     * @param schema   the message's own schema
     * @param envelope the schema of everything on that wire (direction or channel); null for a Kafka value
     * @param decodeAs what a consumer of that wire decodes into
     * @param record   the record the example must become
     */
    record Example(String file, String schema, String envelope, Class<?> decodeAs, Class<?> record) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Example> seedExamples() {
        return Stream.of(
                new Example("seed/subscribe.json", "subscribe", "client-message", ClientMessage.class, Subscribe.class),
                new Example("seed/unsubscribe.json", "unsubscribe", "client-message", ClientMessage.class, Unsubscribe.class),
                new Example("seed/ping.json", "ping", "client-message", ClientMessage.class, Ping.class),
                new Example("seed/connected.json", "connected", "server-message", ServerMessage.class, Connected.class),
                new Example("seed/price-update.json", "price-update", "server-message", ServerMessage.class, PriceUpdate.class),
                new Example("seed/batch-update.json", "batch-update", "server-message", ServerMessage.class, BatchUpdate.class),
                new Example("seed/error.json", "error", "server-message", ServerMessage.class, ErrorMessage.class),
                new Example("seed/pong.json", "pong", "server-message", ServerMessage.class, Pong.class),
                // the seed's Redis "Message Format" (a JS literal there), as JSON
                new Example("seed/redis-price-update.json", "price-update", "updates-message", ServerMessage.class, PriceUpdate.class));
    }

    static Stream<Example> extensionExamples() {
        return Stream.of(
                new Example("extension/subscribe-since.json", "subscribe", "client-message", ClientMessage.class, Subscribe.class),
                new Example("extension/subscribe-options.json", "subscribe", "client-message", ClientMessage.class, Subscribe.class),
                new Example("extension/subscribed.json", "subscribed", "server-message", ServerMessage.class, Subscribed.class),
                new Example("extension/unsubscribed.json", "unsubscribed", "server-message", ServerMessage.class, Unsubscribed.class),
                new Example("extension/price-update-snapshot.json", "price-update", "server-message", ServerMessage.class, PriceUpdate.class),
                new Example("extension/pong-echo.json", "pong", "server-message", ServerMessage.class, Pong.class),
                new Example("extension/connected-edge.json", "connected", "server-message", ServerMessage.class, Connected.class),
                new Example("extension/error-rate-limit.json", "error", "server-message", ServerMessage.class, ErrorMessage.class),
                new Example("extension/redis-source-error.json", "error", "updates-message", ServerMessage.class, ErrorMessage.class),
                new Example("extension/subscription-change.json", "subscription-change", null, SubscriptionChange.class, SubscriptionChange.class),
                new Example("extension/control-drain.json", "control", null, ControlMessage.class, ControlMessage.class),
                new Example("extension/control-pause-all.json", "control", null, ControlMessage.class, ControlMessage.class),
                new Example("extension/stock-quote.json", "stock-quote", null, StockQuote.class, StockQuote.class),
                new Example("extension/raw-quote.json", "raw-quote", null, RawQuote.class, RawQuote.class),
                new Example("extension/bar.json", "bar", null, Bar.class, Bar.class),
                new Example("extension/refresh.json", "refresh", "client-message", ClientMessage.class, Refresh.class),
                new Example("extension/token-expiring.json", "token-expiring", "server-message", ServerMessage.class, TokenExpiring.class),
                new Example("extension/token-refreshed.json", "token-refreshed", "server-message", ServerMessage.class, TokenRefreshed.class),
                new Example("extension/alert-create.json", "alert", "client-message", ClientMessage.class, Alert.class),
                new Example("extension/alerts.json", "alerts", "server-message", ServerMessage.class, Alerts.class),
                new Example("extension/alert-triggered.json", "alert-triggered", "server-message", ServerMessage.class, AlertTriggered.class),
                new Example("extension/alert-definition.json", "alert-definition", null, AlertDefinition.class, AlertDefinition.class),
                new Example("extension/alert-fired.json", "alert-fired", null, AlertFired.class, AlertFired.class),
                new Example("extension/subscribe-bars.json", "subscribe", "client-message", ClientMessage.class, Subscribe.class),
                new Example("extension/bar-update.json", "bar-update", "server-message", ServerMessage.class, BarUpdate.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedExamples")
    void seedExampleValidatesAndRoundTripsUnchanged(Example example) {
        assertValidAndRoundTrips(example);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensionExamples")
    void extensionExampleValidatesAndRoundTripsUnchanged(Example example) {
        assertValidAndRoundTrips(example);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedExamples")
    void seedExampleRoundTripsAsBytesToo(Example example) {
        String json = TestFiles.resource("examples/" + example.file());
        Object decoded = JsonCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8), example.decodeAs());
        String encoded = new String(JsonCodec.toBytes(decoded), StandardCharsets.UTF_8);
        assertThat(JsonCodec.tree(encoded)).isEqualTo(JsonCodec.tree(json));
    }

    private static void assertValidAndRoundTrips(Example example) {
        String json = TestFiles.resource("examples/" + example.file());
        SchemaValidator validator = SchemaValidator.shared();

        assertThat(validator.validate(example.schema(), json)).as("against %s", example.schema()).isEmpty();
        if (example.envelope() != null) {
            assertThat(validator.validate(example.envelope(), json)).as("against %s", example.envelope()).isEmpty();
        }

        Object decoded = JsonCodec.fromJson(json, example.decodeAs());
        assertThat(decoded).isInstanceOf(example.record());
        String encoded = JsonCodec.toJson(decoded);
        assertThat(JsonCodec.tree(encoded)).as("re-encoded %s", encoded).isEqualTo(JsonCodec.tree(json));
        // what the records write is itself valid: the edge can forward it as is
        assertThat(validator.validate(example.schema(), encoded)).isEmpty();
    }
}
