package io.stocktracker.edge.bridge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.fanout.BroadcastEngine.Update;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: a measurement of the bytes the edge allocates per quote on its hot path (the Redis decode on the
 * subscriber thread, the batch entry once per update, the batch_update a writer assembles per client), read from
 * the JVM's per-thread allocation counter. Run it as a plain main with the production JIT (the test JVMs stop at
 * C1, which has no escape analysis and roughly doubles the figures): {@code java -cp <ws-edge test classpath>
 * io.stocktracker.edge.bridge.QuoteAllocationBench}, or through surefire with {@code -Dtest=QuoteAllocationBench
 * -Dbench=true}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class QuoteAllocationBench {
    private static final int SYMBOLS = 500;
    private static final int BATCH = 10;

    public static void main(String[] args) {
        new QuoteAllocationBench().bytesPerQuote();
    }

    @Test
    void bytesPerQuote() {
        byte[][] payloads = new byte[SYMBOLS * 4][];
        Instant t = Instant.parse("2026-12-08T00:30:00.123456Z");
        for (int i = 0; i < payloads.length; i++) {
            Instant at = t.plusMillis(i);
            var q = new StockQuote("S" + (i % SYMBOLS), 100.25 + i % 7, 1.5, 0.42, 1_234_567L + i, 102.0, 99.5, 100.0, 99.1, at,
                    "Simulated", (long) i, at.plusMillis(2), at.plusMillis(5));
            payloads[i] = JsonCodec.toBytes(PriceUpdate.of(q, t.plusMillis(i)));
        }
        BatchEncoder encoder = new BatchEncoder(new EdgeMetrics(new SimpleMeterRegistry()));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int n = 200_000;
        for (int round = 0; round < 6; round++) { // the first rounds warm the JIT (escape analysis changes the figure)
            long a0 = threads.getThreadAllocatedBytes(id);
            List<PendingQuote> quotes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                var decoded = (ChannelMessages.Quote) ChannelMessages.update(payloads[i % payloads.length]);
                quotes.add(pending(Update.of(decoded.quote(), payloads[i % payloads.length])));
            }
            long a1 = threads.getThreadAllocatedBytes(id);
            batches(encoder, quotes); // each entry is made on its first batch and kept for the next ones
            long a2 = threads.getThreadAllocatedBytes(id);
            batches(encoder, quotes);
            long a3 = threads.getThreadAllocatedBytes(id);
            System.out.printf("round %d: decode + shared frame %d B/quote, batch entry %d B/update, batch_update of %d %d B/quote%n",
                    round, (a1 - a0) / n, ((a2 - a1) - (a3 - a2)) / n, BATCH, (a3 - a2) / n);
        }
    }

    private static void batches(BatchEncoder encoder, List<PendingQuote> quotes) {
        for (int i = 0; i + BATCH <= quotes.size(); i += BATCH) {
            encoder.encode(quotes.subList(i, i + BATCH), WireFormat.JSON);
        }
    }

    private static PendingQuote pending(Update u) {
        return new PendingQuote(u.symbol(), u.data(), u.frame());
    }
}
