package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChannelMessagesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheSeedPriceUpdate() {
        String seed = """
                {"type":"price_update","symbol":"RELIANCE","data":{"price":2450.50,"change":12.30,"changePercent":0.50,
                "volume":1234567,"timestamp":"2024-01-10T10:30:00Z"},"source":"AlphaVantage"}""";
        var decoded = ChannelMessages.update(utf8(seed));
        assertThat(decoded).isInstanceOf(ChannelMessages.Quote.class);
        var quote = ((ChannelMessages.Quote) decoded).quote();
        assertThat(quote.symbol()).as("taken from the message when data lacks it").isEqualTo("RELIANCE");
        assertThat(quote.price()).isEqualTo(2450.50);
        assertThat(quote.volume()).isEqualTo(1234567L);
    }

    @Test
    void roundTripsWhatTheRelayPublishes() {
        var q = LatestValueCacheTest.quote("AAPL", 7L, 190.5, Instant.now());
        var decoded = ChannelMessages.update(JsonCodec.toBytes(PriceUpdate.of(q, Instant.now())));
        assertThat(decoded).isEqualTo(new ChannelMessages.Quote(q));
    }

    @Test
    void decodesSourceErrorsAndControl() {
        var error = new ErrorMessage(ErrorCode.SUBSCRIPTION_FAILED, "provider down", Instant.now(), "AAPL");
        assertThat(ChannelMessages.update(JsonCodec.toBytes(error))).isInstanceOf(ChannelMessages.SourceError.class);
        var control = ControlMessage.of(ControlMessage.Command.drain, "edge-1");
        assertThat(ChannelMessages.control(JsonCodec.toBytes(control))).isEqualTo(new ChannelMessages.Control(control));
    }

    @Test
    void everythingElseIsMalformedNeverAnException() {
        for (String bad : new String[] {"", "not json", "{}", "[1,2]", "{\"type\":\"pong\",\"timestamp\":\"2024-01-10T10:30:00Z\"}",
                "{\"type\":\"price_update\",\"symbol\":\"AAPL\"}",
                "{\"type\":\"price_update\",\"symbol\":\"AAPL\",\"data\":{\"symbol\":\"MSFT\",\"price\":1}}",
                "{\"type\":\"price_update\",\"symbol\":\"AAPL\",\"data\":{\"price\":-1}}",
                "{\"type\":\"price_update\",\"symbol\":\"AAPL\",\"data\":{\"price\":\"12.5\"}}",
                "{\"type\":\"price_update\",\"symbol\":\"bad symbol!\",\"data\":{\"price\":1}}"}) {
            assertThat(ChannelMessages.update(utf8(bad))).as(bad).isInstanceOf(ChannelMessages.Malformed.class);
        }
        for (String bad : new String[] {"{}", "{\"type\":\"control\"}", "{\"type\":\"other\",\"command\":\"pause\"}",
                "{\"type\":\"control\",\"command\":\"explode\"}", "\u0000"}) {
            assertThat(ChannelMessages.control(utf8(bad))).as(bad).isInstanceOf(ChannelMessages.Malformed.class);
        }
        assertThat(ChannelMessages.record(null, null)).as("a tombstone without key").isInstanceOf(ChannelMessages.Malformed.class);
        assertThat(ChannelMessages.record(utf8(" "), null)).isInstanceOf(ChannelMessages.Malformed.class);
        assertThat(ChannelMessages.record(utf8("AAPL"), null)).as("the eviction of AAPL")
                .isEqualTo(new ChannelMessages.Removed("AAPL"));
        assertThat(ChannelMessages.record(utf8("AAPL"), utf8("{\"price\":"))).isInstanceOf(ChannelMessages.Malformed.class);
    }

    @Test
    void aRecordWithoutSymbolTakesItsKey() {
        var decoded = ChannelMessages.record(utf8("IBM"), utf8("{\"price\":140.25,\"seq\":3}"));
        assertThat(decoded).isInstanceOf(ChannelMessages.Quote.class);
        assertThat(((ChannelMessages.Quote) decoded).quote().symbol()).isEqualTo("IBM");
    }

    @Test
    void aMessageOverTheSizeBoundIsMalformedEvenWhenWellFormed() {
        String update = JsonCodec.toJson(PriceUpdate.of(LatestValueCacheTest.quote("AAPL", 7L, 190.5, Instant.now()), Instant.now()));
        String control = JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.pause, "*"));
        // padded with an unknown field up to the bound, then one byte past it
        assertThat(ChannelMessages.update(padded(update, ChannelMessages.MAX_PAYLOAD_BYTES))).isInstanceOf(ChannelMessages.Quote.class);
        assertThat(ChannelMessages.update(padded(update, ChannelMessages.MAX_PAYLOAD_BYTES + 1)))
                .isInstanceOf(ChannelMessages.Malformed.class);
        assertThat(ChannelMessages.control(padded(control, ChannelMessages.MAX_PAYLOAD_BYTES))).isInstanceOf(ChannelMessages.Control.class);
        assertThat(ChannelMessages.control(padded(control, ChannelMessages.MAX_PAYLOAD_BYTES + 1)))
                .isInstanceOf(ChannelMessages.Malformed.class);
    }

    private static byte[] padded(String json, int length) {
        String head = json.substring(0, json.length() - 1) + ",\"padding\":\"";
        byte[] out = utf8(head + "x".repeat(length - head.length() - 2) + "\"}");
        assertThat(out).hasSize(length);
        return out;
    }
}
