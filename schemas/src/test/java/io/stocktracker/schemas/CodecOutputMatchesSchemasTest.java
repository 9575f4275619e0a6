package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.AlertTriggered;
import io.stocktracker.schemas.ws.Alerts;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.Connected;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Pong;
import io.stocktracker.schemas.ws.Refresh;
import io.stocktracker.schemas.ws.TokenExpiring;
import io.stocktracker.schemas.ws.TokenRefreshed;
import io.stocktracker.schemas.ws.BarUpdate;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.Subscribed;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import io.stocktracker.schemas.ws.Unsubscribe;
import io.stocktracker.schemas.ws.Unsubscribed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What services build in Java and encode with the codec is what the schemas promise, and decodes back equal. */
class CodecOutputMatchesSchemasTest {
    private static final Instant T = Instant.parse("2024-01-10T10:30:00.123456Z");
    private static final StockQuote QUOTE = new StockQuote("RELIANCE", 2450.5, 12.3, 0.5, 1234567L, 2460.0, 2440.0, 2445.0,
            2438.2, T, "AlphaVantage", 42L, T, T);

    private static final AlertRule ABOVE = new AlertRule("a-1", "TCS", 3500.0, null, null, null, T);
    private static final AlertRule MOVE = new AlertRule("a-2", "RELIANCE", null, null, 2.5, 300, T);

    @Test
    void alertValuesOfTheKafkaTopicsEncodeToTheirSchemas() {
        String definition = JsonCodec.toJson(new AlertDefinition("alice", ABOVE));
        String fired = JsonCodec.toJson(new AlertFired("alice", MOVE, 2400.0, T));
        assertThat(SchemaValidator.shared().validate("alert-definition", definition)).isEmpty();
        assertThat(SchemaValidator.shared().validate("alert-fired", fired)).isEmpty();
        assertThat(SchemaValidator.shared().validate("alert-rule", JsonCodec.toJson(new AlertRule("a-3", "TCS", 1.0, 2.0, null, null, T))))
                .as("above and below together").isNotEmpty();
    }

    @Test
    void everyServerMessageEncodesToItsSchemaAndDecodesEqual() {
        List<ServerMessage> messages = List.of(
                new Connected(Connected.WELCOME, "c-1", T, "edge-1", 15_000L),
                PriceUpdate.of(QUOTE, T),
                PriceUpdate.of(QUOTE, T).asSnapshot(),
                new BatchUpdate(List.of(new BatchUpdate.Entry("RELIANCE", QUOTE), new BatchUpdate.Entry("TCS", QUOTE)), T),
                ErrorMessage.of(ErrorCode.INVALID_SYMBOL, "not a symbol: 'a b'"),
                new ErrorMessage(ErrorCode.SOURCE_UNAVAILABLE, "every source failed", T, "RELIANCE"),
                new Pong(T, T.minusMillis(40)),
                new Subscribed(List.of("RELIANCE"), List.of(new Subscribed.Rejection("a b", ErrorCode.INVALID_SYMBOL, "pattern")), T),
                new Subscribed(List.of("RELIANCE"), List.of(), T),
                new Unsubscribed(List.of("RELIANCE"), T),
                new TokenExpiring(T.plusSeconds(60), T),
                new TokenRefreshed(T.plusSeconds(3600), T),
                new TokenRefreshed(null, T),
                new Alerts(List.of(ABOVE, MOVE), "a-1", T),
                new Alerts(List.of(), null, T),
                new AlertTriggered(MOVE, 2400.0, T, T),

                new BarUpdate(new Bar("BRK.B", T, T.plusSeconds(60), 1, 2, 0.5, 1.5, 100, 3), T));

        for (ServerMessage message : messages) {
            String json = JsonCodec.toJson(message);
            assertThat(SchemaValidator.shared().validate("server-message", json)).as(json).isEmpty();
            assertThat(JsonCodec.fromJson(json, ServerMessage.class)).isEqualTo(message);
        }
    }

    @Test
    void everyClientMessageEncodesToItsSchemaAndDecodesEqual() {
        List<ClientMessage> messages = List.of(
                new Subscribe(List.of("RELIANCE", "TCS")),
                new Subscribe(List.of("RELIANCE"), "c-1", Map.of("RELIANCE", 41L)),
                new Subscribe(List.of("RELIANCE", "TCS"), null, null, new SubscriptionOptions(2.0, null, List.of("price", "volume")),
                        Map.of("TCS", new SubscriptionOptions(null, 0.5, null)), null),
                new Subscribe(List.of("RELIANCE"), null, null, null, null, true),
                new Unsubscribe(List.of("RELIANCE")),
                new Ping(T),
                new Ping(null),
                new Refresh("header.payload.signature"),
                new Alert(Alert.Op.create, null, "TCS", 3500.0, null, null, null),
                new Alert(Alert.Op.create, null, "TCS", null, null, 2.5, 300),
                new Alert(Alert.Op.list, null, null, null, null, null, null),
                new Alert(Alert.Op.ack, "a-1", null, null, null, null, null));

        for (ClientMessage message : messages) {
            String json = JsonCodec.toJson(message);
            assertThat(SchemaValidator.shared().validate("client-message", json)).as(json).isEmpty();
            assertThat(JsonCodec.fromJson(json, ClientMessage.class)).isEqualTo(message);
        }
    }

    @Test
    void redisMessagesEncodeToTheirSchemas() {
        String update = JsonCodec.toJson(PriceUpdate.of(QUOTE, T));
        String sourceError = JsonCodec.toJson(new ErrorMessage(ErrorCode.SOURCE_UNAVAILABLE, "down", T, "TCS"));
        String change = JsonCodec.toJson(SubscriptionChange.of(SubscriptionChange.Action.subscribe, List.of("TCS"), "edge-1"));
        String control = JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.drain, "edge-1"));

        assertThat(SchemaValidator.shared().validate("updates-message", update)).isEmpty();
        assertThat(SchemaValidator.shared().validate("updates-message", sourceError)).isEmpty();
        assertThat(SchemaValidator.shared().validate("subscription-change", change)).isEmpty();
        assertThat(SchemaValidator.shared().validate("control", control)).isEmpty();
        assertThat(JsonCodec.fromJson(change, SubscriptionChange.class).symbols()).containsExactly("TCS");
        assertThat(JsonCodec.fromJson(control, ControlMessage.class).targets("edge-1")).isTrue();
    }

    @Test
    void kafkaValuesEncodeToTheirSchemas() {
        RawQuote raw = RawQuote.of("^GSPC", 4783.45, T, "Simulated");
        Bar bar = new Bar("BRK.B", T, T.plusSeconds(60), 1, 2, 0.5, 1.5, 100, 3);

        assertThat(SchemaValidator.shared().validate("stock-quote", JsonCodec.toJson(QUOTE))).isEmpty();
        assertThat(SchemaValidator.shared().validate("raw-quote", JsonCodec.toJson(raw))).isEmpty();
        assertThat(SchemaValidator.shared().validate("bar", JsonCodec.toJson(bar))).isEmpty();
        assertThat(JsonCodec.fromBytes(JsonCodec.toBytes(bar), Bar.class)).isEqualTo(bar);
        assertThat(JsonCodec.fromBytes(JsonCodec.toBytes(raw), RawQuote.class)).isEqualTo(raw);
    }

    @Test
    void timestampsAreIsoInstantsInUtcAndNullsAreNeverWritten() {
        String json = JsonCodec.toJson(new Pong(Instant.parse("2024-01-10T16:00:00+05:30"), null));

        assertThat(json).isEqualTo("{\"type\":\"pong\",\"timestamp\":\"2024-01-10T10:30:00Z\"}");
    }

    @Test
    void unknownFieldsAreToleratedByBothTheCodecAndTheSchemas() {
        String json = "{\"type\":\"pong\",\"timestamp\":\"2024-01-10T10:30:00Z\",\"region\":\"eu-west\"}";

        assertThat(SchemaValidator.shared().validate("server-message", json)).isEmpty();
        assertThat(JsonCodec.fromJson(json, ServerMessage.class)).isEqualTo(new Pong(Instant.parse("2024-01-10T10:30:00Z"), null));
    }
}
