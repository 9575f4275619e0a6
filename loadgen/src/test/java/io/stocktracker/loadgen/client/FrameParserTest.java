package io.stocktracker.loadgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    private static final Instant INGESTED = Instant.parse("2026-01-10T10:30:00.123456Z");

    private static StockQuote quote(String symbol, long seq) {
        return new StockQuote(symbol, 10.5, 0.1, 1.0, 100L, 11.0, 10.0, 10.2, 10.4, INGESTED, "loadgen", seq, INGESTED,
                INGESTED.plusMillis(3));
    }

    private static String wire(ServerMessage m) throws Exception {
        return JsonCodec.mapper().writerFor(ServerMessage.class).writeValueAsString(m);
    }

    @Test
    void readsAPriceUpdateAsOneEntryWithMicrosecondIngestTime() throws Exception {
        Frame f = FrameParser.parse(wire(PriceUpdate.of(quote("AAPL", 7), Instant.now())));
        assertThat(f.type()).isEqualTo("price_update");
        assertThat(f.snapshot()).isFalse();
        assertThat(f.entries()).containsExactly(new Frame.Entry("AAPL", 7, INGESTED.getEpochSecond() * 1_000_000 + 123_456, "loadgen"));
    }

    @Test
    void readsEveryEntryOfABatchUpdate() throws Exception {
        BatchUpdate b = new BatchUpdate(List.of(new BatchUpdate.Entry("A", quote("A", 1)), new BatchUpdate.Entry("B", quote("B", 2))),
                Instant.now());
        Frame f = FrameParser.parse(wire(b));
        assertThat(f.type()).isEqualTo("batch_update");
        assertThat(f.entries()).extracting(Frame.Entry::symbol).containsExactly("A", "B");
        assertThat(f.entries()).extracting(Frame.Entry::seq).containsExactly(1L, 2L);
    }

    @Test
    void marksSnapshotsAndIgnoresFieldOrder() {
        Frame f = FrameParser.parse("{\"snapshot\":true,\"data\":{\"seq\":3,\"price\":1.0},\"symbol\":\"X\",\"type\":\"price_update\"}");
        assertThat(f.snapshot()).isTrue();
        assertThat(f.entries()).containsExactly(new Frame.Entry("X", 3, -1, null));
    }

    @Test
    void readsSubscribedAcknowledgementsAndErrors() throws Exception {
        Frame ack = FrameParser.parse(wire(new Subscribed(List.of("A", "B"), List.of(), Instant.now())));
        assertThat(ack.type()).isEqualTo("subscribed");
        assertThat(ack.symbols()).containsExactly("A", "B");
        Frame err = FrameParser.parse("{\"type\":\"error\",\"code\":\"SLOW_CONSUMER\",\"message\":\"m\",\"extra\":{\"a\":[1,2]}}");
        assertThat(err.code()).isEqualTo("SLOW_CONSUMER");
        assertThat(err.entries()).isEmpty();
    }

    @Test
    void rejectsWhatIsNotAJsonObject() {
        assertThatThrownBy(() -> FrameParser.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameParser.parse("{\"type\":")).isInstanceOf(IllegalArgumentException.class);
    }
}
