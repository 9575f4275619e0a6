package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.fanout.BroadcastEngine.Update;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.fanout.TextFrame;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A price_update from Redis goes into a batch_update as it came: its data bytes, not the quote serialized again. */
class RedisBytesIntoBatchesTest {
    private static final String HEAD = "{\"type\":\"price_update\",\"symbol\":\"AAPL\",\"data\":";
    private static final String TAIL = ",\"source\":\"Simulated\",\"timestamp\":\"2026-12-08T00:30:00.5Z\"}";

    private final BatchEncoder encoder = new BatchEncoder(new EdgeMetrics(new SimpleMeterRegistry()));

    @Test
    void aBatchEntryIsTheDataOfTheMessageThatCameInUnknownFieldIncluded() {
        String data = "{\"symbol\":\"AAPL\",\"price\":190.50,\"seq\":7,\"timestamp\":\"2026-12-08T00:30:00.123456789Z\","
                + "\"processedAt\":\"2026-12-08T00:30:00.4Z\",\"venue\":{\"mic\":\"XNAS\",\"lots\":[1,2]},\"note\":\"caf\u00e9 \u2713\"}";
        String batch = batchOf(utf8(HEAD + data + TAIL));

        assertThat(batch).as("byte for byte: the unknown fields, 190.50 and the nanosecond timestamp as they came")
                .contains("{\"symbol\":\"AAPL\",\"data\":" + data + "}");
        assertThat(JsonCodec.fromJson(batch, ServerMessage.class)).isInstanceOf(BatchUpdate.class);
    }

    @Test
    void theEntryOfWhatTheRelayPublishesIsTheBatchTheCodecWouldWrite() {
        Instant t = Instant.parse("2026-12-08T00:30:00.123456Z");
        StockQuote quote = new StockQuote("AAPL", 190.5, 1.5, 0.79, 1_234_567L, 191.0, 189.0, 189.5, 189.0, t, "Simulated", 7L, t, t);
        String batch = batchOf(JsonCodec.toBytes(PriceUpdate.of(quote, t)));

        JsonNode entry = JsonCodec.tree(batch).get("updates").get(0);
        assertThat(entry).isEqualTo(JsonCodec.tree(JsonCodec.toJson(new BatchUpdate.Entry("AAPL", quote))));
    }

    @Test
    void aMessagePackBatchIsStillBuiltFromTheDecodedQuotes() throws Exception {
        byte[] payload = utf8(HEAD + "{\"symbol\":\"AAPL\",\"price\":190.5,\"seq\":7,\"venue\":\"XNAS\"}" + TAIL);
        StockQuote quote = ((ChannelMessages.Quote) ChannelMessages.update(payload)).quote();
        StockQuote other = LatestValueCacheTest.quote("MSFT", 1L, 410.0, Instant.parse("2026-12-08T00:30:00Z"));
        Update first = Update.of(quote, payload);

        byte[] frame = (byte[]) encoder.encode(List.of(pending(first), pending(Update.of(other))), WireFormat.MSGPACK);

        BatchUpdate batch = (BatchUpdate) WireFormat.readMsgpack(frame, ServerMessage.class);
        assertThat(batch.updates()).containsExactly(new BatchUpdate.Entry("AAPL", quote), new BatchUpdate.Entry("MSFT", other));
    }

    @Test
    void dataLeftWithoutItsSymbolStillCarriesItInTheBatch() {
        String batch = batchOf(utf8(HEAD + "{\"price\":190.5,\"seq\":7,\"extra\":1}" + TAIL));

        BatchUpdate decoded = (BatchUpdate) JsonCodec.fromJson(batch, ServerMessage.class);
        assertThat(decoded.updates().get(0).data().symbol()).isEqualTo("AAPL");
    }

    @Test
    void dataThatIsNotAnObjectNeverReachesABatch() {
        for (String data : new String[] {"[{\"symbol\":\"AAPL\",\"price\":1}]", "\"AAPL\"", "190.5", "null", "true"}) {
            assertThat(ChannelMessages.update(utf8(HEAD + data + TAIL))).as(data).isInstanceOf(ChannelMessages.Malformed.class);
        }
    }

    @Test
    void twoDataMembersNeverPutTheUncheckedOneInABatch() {
        String unchecked = "{\"symbol\":\"AAPL\",\"price\":-1,\"seq\":8}";
        String checked = "{\"symbol\":\"AAPL\",\"price\":190.5,\"seq\":7}";
        byte[] payload = utf8("{\"type\":\"price_update\",\"symbol\":\"AAPL\",\"data\":" + unchecked + ",\"data\":" + checked + "}");
        // the decode binds the last one, as a browser's JSON.parse does
        String batch = batchOf(payload);
        assertThat(batch).doesNotContain(unchecked);
        assertThat(((BatchUpdate) JsonCodec.fromJson(batch, ServerMessage.class)).updates().get(0).data().price()).isEqualTo(190.5);
    }

    @Test
    void dataNestedPastTheParserLimitIsMalformedAndWithinItPassesByteForByte() {
        String tooDeep = HEAD + "{\"symbol\":\"AAPL\",\"price\":1,\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}" + TAIL;
        assertThat(ChannelMessages.update(utf8(tooDeep))).isInstanceOf(ChannelMessages.Malformed.class);

        String deep = "{\"symbol\":\"AAPL\",\"price\":1,\"x\":" + "[".repeat(900) + "]".repeat(900) + "}";
        assertThat(batchOf(utf8(HEAD + deep + TAIL))).contains("{\"symbol\":\"AAPL\",\"data\":" + deep + "}");
    }

    @Test
    void invalidUtf8InAStringIsMalformedBeforeItReachesAFrame() {
        // a bad start byte, a bad continuation, an overlong form, a surrogate, a code point past U+10FFFF
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (String field : new String[] {"note", "source", "symbol"}) {
            for (byte[] bad : invalid) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(utf8(HEAD + "{\"symbol\":\"AAPL\",\"price\":1,\"" + field + "\":\"a"));
                bytes.writeBytes(bad);
                bytes.writeBytes(utf8("b\"}" + TAIL));

                assertThat(ChannelMessages.update(bytes.toByteArray())).as(field + " " + Arrays.toString(bad))
                        .isInstanceOf(ChannelMessages.Malformed.class);
            }
        }
    }

    /** The batch_update text of the payload's quote followed by another symbol's. */
    private String batchOf(byte[] payload) {
        ChannelMessages.Decoded decoded = ChannelMessages.update(payload);
        assertThat(decoded).isInstanceOf(ChannelMessages.Quote.class);
        StockQuote other = LatestValueCacheTest.quote("MSFT", 1L, 410.0, Instant.parse("2026-12-08T00:30:00Z"));
        Object frame = encoder.encode(List.of(pending(Update.of(((ChannelMessages.Quote) decoded).quote(), payload)),
                pending(Update.of(other))), WireFormat.JSON);
        return ((TextFrame) frame).text();
    }

    private static PendingQuote pending(Update u) {
        return new PendingQuote(u.symbol(), u.data(), u.frame());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
