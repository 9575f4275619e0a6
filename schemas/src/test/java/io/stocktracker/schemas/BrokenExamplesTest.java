package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.validation.Violation;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribe;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Deliberately broken messages are rejected by the schema AND by the codec, each naming the field. */
class BrokenExamplesTest {
    record Broken(String what, String schema, Class<?> decodeAs, String json, String field) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static final String QUOTE = "{\"symbol\":\"RELIANCE\",\"price\":2450.5}";

    static Stream<Broken> broken() {
        return Stream.of(
                new Broken("subscribe without action", "client-message", ClientMessage.class,
                        "{\"symbols\":[\"RELIANCE\"],\"clientId\":\"c1\"}", "action"),
                new Broken("unknown action", "client-message", ClientMessage.class,
                        "{\"action\":\"dance\",\"symbols\":[\"RELIANCE\"]}", "action"),
                new Broken("symbols as a string", "client-message", ClientMessage.class,
                        "{\"action\":\"subscribe\",\"symbols\":\"RELIANCE\"}", "symbols"),
                new Broken("symbols missing", "client-message", ClientMessage.class,
                        "{\"action\":\"subscribe\"}", "symbols"),
                new Broken("unsubscribe symbols missing", "client-message", ClientMessage.class,
                        "{\"action\":\"unsubscribe\",\"clientId\":\"c1\"}", "symbols"),
                new Broken("symbol as a number", "client-message", ClientMessage.class,
                        "{\"action\":\"subscribe\",\"symbols\":[\"TCS\",42]}", "symbols[1]"),
                new Broken("since seq as a string", "client-message", ClientMessage.class,
                        "{\"action\":\"subscribe\",\"symbols\":[\"TCS\"],\"since\":{\"TCS\":\"x\"}}", "since.TCS"),
                new Broken("subscribe option maxRate as a string", "client-message", ClientMessage.class,
                        "{\"action\":\"subscribe\",\"symbols\":[\"TCS\"],\"options\":{\"maxRate\":\"1\"}}", "options.maxRate"),
                new Broken("ping timestamp not a date-time", "client-message", ClientMessage.class,
                        "{\"action\":\"ping\",\"timestamp\":\"yesterday\"}", "timestamp"),
                new Broken("refresh without token", "client-message", ClientMessage.class,
                        "{\"action\":\"refresh\"}", "token"),
                new Broken("token_expiring without expiresAt", "server-message", ServerMessage.class,
                        "{\"type\":\"token_expiring\",\"timestamp\":\"2024-01-10T10:30:00Z\"}", "expiresAt"),
                new Broken("unknown type", "server-message", ServerMessage.class,
                        "{\"type\":\"price_change\",\"symbol\":\"RELIANCE\",\"data\":" + QUOTE + "}", "type"),
                new Broken("server message without type", "server-message", ServerMessage.class,
                        "{\"symbol\":\"RELIANCE\",\"data\":" + QUOTE + "}", "type"),
                new Broken("price as a string", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\",\"data\":{\"price\":\"2450.50\"}}", "data.price"),
                new Broken("price missing", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\",\"data\":{\"change\":1.5}}", "data.price"),
                new Broken("volume with a fraction", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\",\"data\":{\"price\":1.0,\"volume\":12.5}}", "data.volume"),
                new Broken("snapshot as a string", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\",\"data\":" + QUOTE + ",\"snapshot\":\"yes\"}", "snapshot"),
                new Broken("price_update without data", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\"}", "data"),
                new Broken("bad symbol pattern in price_update", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE; DROP\",\"data\":{\"price\":1.0}}", "symbol"),
                new Broken("bad symbol pattern in a quote", "server-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"TCS\",\"data\":{\"symbol\":\"tcs\",\"price\":1.0}}", "data.symbol"),
                new Broken("bad symbol pattern in a batch entry", "server-message", ServerMessage.class,
                        "{\"type\":\"batch_update\",\"updates\":[{\"symbol\":\"TCS\",\"data\":{\"price\":1.0}},"
                                + "{\"symbol\":\"A-VERY-LONG-SYMBOL-NAME\",\"data\":{\"price\":1.0}}]}", "updates[1].symbol"),
                new Broken("batch updates as an object", "server-message", ServerMessage.class,
                        "{\"type\":\"batch_update\",\"updates\":{\"TCS\":{\"price\":1.0}}}", "updates"),
                new Broken("error with an unknown code", "server-message", ServerMessage.class,
                        "{\"type\":\"error\",\"code\":\"OOPS\",\"message\":\"x\"}", "code"),
                new Broken("error without code", "server-message", ServerMessage.class,
                        "{\"type\":\"error\",\"message\":\"x\"}", "code"),
                new Broken("pong timestamp not a date-time", "server-message", ServerMessage.class,
                        "{\"type\":\"pong\",\"timestamp\":\"10:30\"}", "timestamp"),
                new Broken("subscribed rejection with an unknown code", "server-message", ServerMessage.class,
                        "{\"type\":\"subscribed\",\"symbols\":[],\"rejected\":[{\"symbol\":\"X\",\"code\":\"NOPE\"}]}", "rejected[0].code"),
                new Broken("updates channel: price as a string", "updates-message", ServerMessage.class,
                        "{\"type\":\"price_update\",\"symbol\":\"RELIANCE\",\"data\":{\"price\":\"2450.50\"},\"source\":\"AlphaVantage\"}",
                        "data.price"),
                new Broken("subscription_change with an unknown action", "subscription-change", SubscriptionChange.class,
                        "{\"type\":\"subscription_change\",\"action\":\"maybe\",\"symbols\":[\"TCS\"]}", "action"),
                new Broken("subscription_change with a bad symbol", "subscription-change", SubscriptionChange.class,
                        "{\"type\":\"subscription_change\",\"action\":\"subscribe\",\"symbols\":[\"TCS!\"]}", "symbols[0]"),
                new Broken("subscription_change without symbols", "subscription-change", SubscriptionChange.class,
                        "{\"type\":\"subscription_change\",\"action\":\"subscribe\"}", "symbols"),
                new Broken("control with an unknown command", "control", ControlMessage.class,
                        "{\"type\":\"control\",\"command\":\"reboot\",\"target\":\"*\"}", "command"),
                new Broken("control without command", "control", ControlMessage.class,
                        "{\"type\":\"control\",\"target\":\"*\"}", "command"),
                new Broken("quote price as a string", "stock-quote", StockQuote.class,
                        "{\"symbol\":\"TCS\",\"price\":\"3712.25\"}", "price"),
                new Broken("bar without close", "bar", Bar.class,
                        "{\"symbol\":\"TCS\",\"windowStart\":\"2024-01-10T10:30:00Z\",\"windowEnd\":\"2024-01-10T10:31:00Z\","
                                + "\"open\":1.0,\"high\":2.0,\"low\":0.5,\"volume\":10,\"count\":3}", "close"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void schemaRejectsItNamingTheField(Broken broken) {
        List<Violation> violations = SchemaValidator.shared().validate(broken.schema(), broken.json());

        assertThat(violations).as("violations of %s", broken.json()).isNotEmpty();
        assertThat(violations).extracting(Violation::field).contains(broken.field());
        assertThat(violations).anySatisfy(v -> assertThat(v.message()).contains("'" + broken.field() + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void codecRejectsItNamingTheField(Broken broken) {
        assertThatThrownBy(() -> JsonCodec.fromJson(broken.json(), broken.decodeAs()))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.field()).isEqualTo(broken.field());
                    assertThat(e.getMessage()).contains("'" + broken.field() + "'");
                });
    }

    @Test
    void malformedJsonIsRejectedByBoth() {
        String json = "{\"action\":\"subscribe\",\"symbols\":[\"TCS\"";

        assertThat(SchemaValidator.shared().validate("client-message", json))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("not valid JSON"));
        assertThatThrownBy(() -> JsonCodec.fromJson(json, ClientMessage.class)).isInstanceOf(CodecException.class);
    }

    /**
     * Client symbols are the one place the codec is deliberately looser than the schema: the edge trims
     * and upper-cases them (Symbols.normalize) and rejects the bad ones one by one in 'subscribed', so
     * one typo does not cost the client its whole subscribe.
     */
    @Test
    void clientSymbolsReachTheEdgeAsSentSoItCanRejectThemOneByOne() {
        String json = "{\"action\":\"subscribe\",\"symbols\":[\"tcs\",\"RELIANCE; DROP\",\"INFY\"]}";

        assertThat(SchemaValidator.shared().validate("client-message", json))
                .extracting(Violation::field).containsExactlyInAnyOrder("symbols[0]", "symbols[1]");
        assertThat(JsonCodec.fromJson(json, ClientMessage.class)).isInstanceOfSatisfying(Subscribe.class,
                s -> assertThat(s.symbols()).containsExactly("tcs", "RELIANCE; DROP", "INFY"));
    }

    @Test
    void sourceErrorOnTheUpdatesChannelMustNameItsSymbol() {
        String json = "{\"type\":\"error\",\"code\":\"SOURCE_UNAVAILABLE\",\"message\":\"all sources failed\"}";

        assertThat(SchemaValidator.shared().validate("error", json)).isEmpty();
        assertThat(SchemaValidator.shared().validate("updates-message", json)).extracting(Violation::field).containsExactly("symbol");
    }
}
