package io.stocktracker.edge;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.fanout.BroadcastEngine.Update;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fan-out measurement, not a test: prints figures. Run with
 * {@code ./mvnw -o -pl ws-edge test -Dtest=FanoutBenchmark -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * Clients and edge share the JVM (and this 2-core machine), so CPU per frame is an upper bound.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class FanoutBenchmark {
    @Test
    void run() throws Exception {
        TestEdge edge = TestEdge.real(Map.of("MAX_SUBSCRIPTIONS", "1000", "MAX_CONNECTIONS_PER_IP", "100000",
                "SLOW_CONSUMER_MAX_STALL_MS", "60000"));
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
        try {
            scenario(edge, "seed: 100 clients x 50 symbols, 50 updates/s", 100, 50, 50, 50, Duration.ofSeconds(10));
            scenario(edge, "1000 clients x 10 of 100 symbols, 2000 updates/s", 1000, 100, 10, 2000, Duration.ofSeconds(10));
            scenario(edge, "1000 clients x 10 of 100 symbols, as fast as possible", 1000, 100, 10, 0, Duration.ofSeconds(10));
        } finally {
            edge.close();
        }
    }

    static final class Counter implements WebSocket.Listener {
        final LongAdder frames = new LongAdder();
        final LongAdder quotes = new LongAdder();
        final LongAdder batches = new LongAdder();
        final List<Long> latenciesMicros;
        final StringBuilder partial = new StringBuilder();
        volatile boolean subscribed;

        Counter(List<Long> latencies) {
            this.latenciesMicros = latencies;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.increment();
                // cheap counting keeps the in-JVM clients from being the bottleneck; 1 frame in 20 is parsed for latency
                int n = count(partial, "\"price\":");
                quotes.add(n);
                if (n > 1) {
                    batches.increment();
                } else if (n == 0 && partial.indexOf("\"subscribed\"") >= 0) {
                    subscribed = true;
                }
                if (n > 0 && java.util.concurrent.ThreadLocalRandom.current().nextInt(20) == 0) {
                    JsonNode m = JsonCodec.tree(partial.toString());
                    JsonNode data0 = m.has("updates") ? m.get("updates").get(0).get("data") : m.get("data");
                    sample(data0, 0);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private static int count(StringBuilder s, String needle) {
            int n = 0;
            for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }

        private void sample(JsonNode data, long nowMicros) {
            JsonNode p = data.get("processedAt");
            if (p != null) {
                Instant t = Instant.parse(p.asText());
                long micros = Duration.between(t, Instant.now()).toNanos() / 1000;
                synchronized (latenciesMicros) {
                    latenciesMicros.add(micros);
                }
            }
        }
    }

    static final class ThreadLocalRandomHolder {
        static boolean sample() {
            return java.util.concurrent.ThreadLocalRandom.current().nextInt(10) == 0;
        }
    }

    private static void scenario(TestEdge edge, String name, int clients, int symbols, int perClient, int ratePerSecond,
                                 Duration duration) throws Exception {
        // one HttpClient (one selector thread) per 100 sockets, so the clients read in parallel
        List<HttpClient> https = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        List<Counter> counters = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Counter counter = new Counter(latencies);
            if (c % 100 == 0) {
                https.add(HttpClient.newHttpClient());
            }
            WebSocket ws = https.get(https.size() - 1).newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"), counter)
                    .get(30, TimeUnit.SECONDS);
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < perClient; i++) {
                mine.add("B" + ((c * 7 + i) % symbols));
            }
            ws.sendText("{\"action\":\"subscribe\",\"symbols\":" + JsonCodec.toJson(mine) + "}", true);
            counters.add(counter);
            sockets.add(ws);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> counters.stream().allMatch(c -> c.subscribed));
        Thread.sleep(500);
        long framesOutBefore = (long) edge.metrics().framesOut.count();
        double conflationsBefore = edge.metrics().conflations.count();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        AtomicLong seq = new AtomicLong(TestInfra.nextSeq());
        while (System.nanoTime() < end) {
            if (ratePerSecond > 0) {
                long due = (System.nanoTime() - start) * ratePerSecond / 1_000_000_000L;
                if (sent >= due) {
                    Thread.onSpinWait();
                    continue;
                }
            }
            String symbol = "B" + (sent % symbols);
            Instant now = Instant.now();
            StockQuote q = new StockQuote(symbol, 100 + sent % 7, 1.0, 0.5, 1000L, 101.0, 99.0, 100.0, 99.0, now, "Bench",
                    seq.incrementAndGet(), now, now);
            edge.broadcastEngine().broadcast(Update.of(q));
            sent++;
        }
        long elapsed = System.nanoTime() - start;
        Thread.sleep(2000);
        long cpu = processCpuNanos() - cpuBefore;
        long framesOut = (long) edge.metrics().framesOut.count() - framesOutBefore;
        long quotesIn = counters.stream().mapToLong(c -> c.quotes.sum()).sum();
        long batches = counters.stream().mapToLong(c -> c.batches.sum()).sum();
        double conflations = edge.metrics().conflations.count() - conflationsBefore;
        long expected = 0;
        for (int c = 0; c < clients; c++) {
            expected += (long) perClient * sent / symbols;
        }
        long[] lat;
        synchronized (latencies) {
            lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        double secs = elapsed / 1e9;
        System.out.printf("%n== %s%n", name);
        System.out.printf("updates published      %,d (%.0f/s)%n", sent, sent / secs);
        System.out.printf("quote deliveries       %,d of %,d possible (%.2f%%), %.0f/s%n", quotesIn, expected,
                100.0 * quotesIn / Math.max(1, expected), quotesIn / secs);
        System.out.printf("frames written         %,d (%.0f/s), batch_update frames %,d, conflations %,.0f%n", framesOut,
                framesOut / secs, batches, conflations);
        System.out.printf("process CPU            %.1f s over %.1f s wall = %.2f cores; %.1f us per frame (edge + clients)%n",
                cpu / 1e9, secs, cpu / 1e9 / secs, framesOut == 0 ? 0 : cpu / 1e3 / framesOut);
        if (lat.length > 0) {
            System.out.printf("latency processedAt -> client  p50 %.2f ms  p99 %.2f ms  max %.2f ms (%d samples)%n",
                    lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, lat[lat.length - 1] / 1e3, lat.length);
        }
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.connections().size() == 0);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String fmt(long[] a) {
        return Arrays.toString(a);
    }
}
