package io.stocktracker.edge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.edge.broker.MemoryBroker;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.Subscribed;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the quote path hot before the edge reports ready. A fresh JVM meets its first thousand clients with
 * interpreted code: handshakes, subscribe parsing, fan-out, batching and Jetty's write path compile while the
 * clients wait, and at 100K quotes/s nothing is delivered for seconds (docs/benchmarks/ws-edge.md). Here a
 * throw-away edge on 127.0.0.1 with an in-memory broker takes loopback WebSocket clients through the same code
 * (the JIT compiles methods, not instances, so the real edge inherits the compiled code), beside the real edge's
 * Kafka and Redis start-up. Nothing of it is visible outside this JVM: no port on a public address, no broker, no
 * metrics in the real registry.
 */
final class EdgeWarmup {
    private static final Logger log = LoggerFactory.getLogger(EdgeWarmup.class);
    private static final int CLIENTS = 16;
    private static final int SYMBOLS = 10;
    /** Quotes per round; each round ends with a marker every client must receive before the next round starts. */
    private static final int ROUND = 500;
    /** Synthetic symbols: valid names no listed instrument uses; they never leave the throw-away edge. */
    private static final String PREFIX = "ZZWARM";
    private static final String MARKER = PREFIX + "END";

    private EdgeWarmup() {
    }

    /** Runs the warm-up on a thread of its own; {@code done} runs when it has finished, failed or run out of time. */
    static void start(EdgeConfig real, Runnable done) {
        Thread t = new Thread(() -> {
            long started = System.nanoTime();
            try {
                long delivered = run(real.edgeId(), real.warmup());
                log.info("edge {}: warm-up done: {} frames to {} loopback clients in {} ms", real.edgeId(), delivered,
                        CLIENTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            } catch (Exception e) {
                log.warn("edge {}: warm-up stopped early ({}); the first clients may meet code that is not compiled yet",
                        real.edgeId(), e.toString());
            } finally {
                done.run();
            }
        }, "edge-warmup");
        t.setDaemon(true);
        t.start();
    }

    static long run(String edgeId, EdgeConfig.WarmupPolicy policy) throws Exception {
        long deadline = System.nanoTime() + policy.budget().toNanos();
        MemoryBroker broker = new MemoryBroker();
        EdgeConfig config = EdgeConfig.fromEnv(Map.of(
                "EDGE_PORT", "0",
                "EDGE_ID", (edgeId.length() > 40 ? edgeId.substring(0, 40) : edgeId) + "-warmup",
                "SYMBOL_UNIVERSE_CHECK", "false",
                "ADMISSION_RATE_PER_SECOND", "100000",
                "ADMISSION_BURST", "100000",
                "SHUTDOWN_GRACE_MS", "1000",
                "WARMUP_QUOTES", "0"));
        EdgeApp edge = EdgeApp.startOnLoopback(EdgeParts.assemble(config,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), broker));
        // the JDK's default pool would keep a dozen workers for a minute after the warm-up (HttpClient has no close()
        // before JDK 21); these end below, and the client's selector thread ends once the client is collected
        ExecutorService httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edge-warmup-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
        List<WebSocket> sockets = new ArrayList<>();
        AtomicLong markersSeen = new AtomicLong();
        AtomicLong acks = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        try {
            URI uri = URI.create("ws://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + edge.port() + "/ws");
            StringBuilder symbols = new StringBuilder("\"" + MARKER + "\"");
            for (int s = 0; s < SYMBOLS; s++) {
                symbols.append(",\"").append(PREFIX).append(s).append('"');
            }
            String subscribe = "{\"action\":\"subscribe\",\"symbols\":[" + symbols + "]}";
            for (int c = 0; c < CLIENTS; c++) {
                WebSocket ws = http.newWebSocketBuilder().subprotocols(ProtocolCodec.JSON_SUBPROTOCOL)
                        .buildAsync(uri, new Counting(acks, markersSeen, frames)).get(remaining(deadline), TimeUnit.NANOSECONDS);
                sockets.add(ws);
                ws.sendText(subscribe, true).get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            await(acks, CLIENTS, deadline, () -> acks.get() + " of " + CLIENTS + " clients subscribed"); // before the first quote
            long seq = 0;
            for (int published = 0; published < policy.quotes(); published += ROUND) {
                if (System.nanoTime() > deadline) { // out of time between rounds: as much a timeout as inside one
                    throw new TimeoutException("past WARMUP_MAX_MS after " + published + " of " + policy.quotes() + " quotes");
                }
                for (int i = 0; i < ROUND; i++) {
                    broker.publish(quote(PREFIX + (i % SYMBOLS), ++seq));
                }
                broker.publish(quote(MARKER, ++seq));
                int round = published / ROUND + 1;
                await(markersSeen, (long) CLIENTS * round, deadline,
                        () -> "in round " + round + " of " + (policy.quotes() / ROUND) + ", " + frames.get() + " frames");
            }
            return frames.get();
        } finally {
            for (WebSocket ws : sockets) {
                ws.abort();
            }
            edge.close();
            httpThreads.shutdownNow();
        }
    }

    private static void await(AtomicLong counter, long atLeast, long deadline, Supplier<String> progress) throws Exception {
        while (counter.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("past WARMUP_MAX_MS " + progress.get());
            }
            Thread.sleep(1);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static StockQuote quote(String symbol, long seq) {
        Instant now = Instant.now();
        double price = 100 + (seq % 1000) / 100.0;
        return new StockQuote(symbol, price, 0.5, 0.5, seq, price + 1, price - 1, price, price - 0.5, now, "warmup", seq, now, now);
    }

    /** Counts subscribe acks, frames and round markers; a marker arrives after every quote published before it. */
    private static final class Counting implements WebSocket.Listener {
        private final AtomicLong acks;
        private final AtomicLong markers;
        private final AtomicLong frames;
        private final StringBuilder partial = new StringBuilder();

        Counting(AtomicLong acks, AtomicLong markers, AtomicLong frames) {
            this.acks = acks;
            this.markers = markers;
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.contains("\"type\":\"" + Subscribed.TYPE + "\"")) {
                    acks.incrementAndGet();
                } else if (frame.contains("\"" + MARKER + "\"")) {
                    markers.incrementAndGet();
                }
                frames.incrementAndGet();
            }
            ws.request(1);
            return null;
        }
    }
}
