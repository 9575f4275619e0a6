package io.stocktracker.loadgen.rawclient;

import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.loadgen.wire.Ending;
import io.stocktracker.loadgen.wire.RawConnection;
import io.stocktracker.loadgen.wire.SelectorLoop;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Every benchmark client in one place: raw RFC 6455 connections ({@link RawConnection}) all served by ONE
 * {@link SelectorLoop}, so the load generator stays cheap and its own cost is easy to reason about. Each client connects,
 * subscribes to its symbols and counts what arrives: a quote is delivered when its seq is new for that client and
 * symbol and its {@code ingestedAt} (the publish stamp) lies in the window; its latency is the wall clock when the
 * loop's round of reads began minus that stamp. Counters other threads watch while the run goes are volatile; the
 * histogram, the timeline and the per-kind maps are read after {@link #close()}.
 */
public final class RawClientFleet implements AutoCloseable {
    /** RFC 6455 "normal closure": the benchmark is over. */
    private static final int GOODBYE = 1000;

    private final URI url;
    private final SymbolIndex symbols;
    private final List<Client> clients = new ArrayList<>();
    private final MeasurementWindow window;
    private final DeliveryTimeline timeline;
    private final SelectorLoop loop;
    private final QuoteScanner scanner = new QuoteScanner();
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final Map<String, Long> errorCodes = new TreeMap<>();
    private final Map<Integer, Long> serverCloses = new TreeMap<>();
    private final Map<String, Long> connectErrorKinds = new TreeMap<>();
    private CountDownLatch settled = new CountDownLatch(0);
    private Semaphore inFlight = new Semaphore(Integer.MAX_VALUE);
    private Duration connectTimeout = Duration.ofSeconds(30);

    // written by the loop's thread only
    private volatile long delivered;
    private volatile long received;
    private volatile long newestIngestedMicros = Long.MIN_VALUE;
    private volatile int subscribed;
    private volatile long firstSubscribedNanos;
    private long duplicates;
    private long outOfOrder;
    private long snapshots;
    private long staleSnapshots;
    private long frames;
    private long batchFrames;
    private long unparsable;
    private long unknownSymbols;
    private long connectErrors;
    private long transportErrors;

    /**
     * @param symbolsPerClient client i subscribes to {@code symbolsPerClient.get(i)}, each one of {@code allSymbols}
     * @param options          what every client subscribes with (null: none)
     */
    public RawClientFleet(URI url, List<String> allSymbols, List<List<String>> symbolsPerClient, SubscriptionOptions options,
                          MeasurementWindow window, DeliveryTimeline timeline) throws IOException {
        this.url = url;
        this.symbols = new SymbolIndex(allSymbols);
        this.window = window;
        this.timeline = timeline;
        List<HeldSeqs> held = HeldSeqs.perClient(symbols, symbolsPerClient);
        for (int i = 0; i < held.size(); i++) {
            String subscribe = JsonCodec.toJson(new Subscribe(symbolsPerClient.get(i), "edge-bench-" + i, null, options, null, null));
            clients.add(new Client(held.get(i), subscribe.getBytes(StandardCharsets.UTF_8)));
        }
        this.loop = new SelectorLoop("edge-bench-clients", now -> 100, this::timeOut, () -> clients.forEach(Client::shutdown));
    }

    /**
     * Opens every connection, at most {@code ratePerSecond} per second (0 = unpaced) with at most {@code maxInFlight}
     * handshakes pending, and waits until each is subscribed or failed.
     * @return clients subscribed
     */
    public int connectAll(int ratePerSecond, int maxInFlight, Duration timeout) throws InterruptedException {
        connectTimeout = timeout;
        settled = new CountDownLatch(clients.size());
        inFlight = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            if (ratePerSecond > 0) {
                long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                break; // the rest are counted as not settled
            }
            loop.submit(clients.get(i)::open);
        }
        settled.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return subscribed;
    }

    private void timeOut(long now) {
        for (Client c : clients) {
            if (!c.isSubscribed && c.connection != null && c.connection.liveLongerThan(connectTimeout.toNanos(), now)) {
                c.fail("timeout");
            }
        }
    }

    /** One client; the loop's thread only. */
    private final class Client implements RawConnection.Listener {
        final HeldSeqs held;
        final byte[] subscribeJson;
        RawConnection connection;
        boolean settledOnce;
        boolean isSubscribed;

        Client(HeldSeqs held, byte[] subscribeJson) {
            this.held = held;
            this.subscribeJson = subscribeJson;
        }

        void open() {
            connection = new RawConnection(loop, url, this);
            connection.open();
        }

        @Override
        public void upgraded() {
            connection.sendText(subscribeJson);
        }

        @Override
        public void text(byte[] a, int off, int len) {
            if (!scanner.scan(a, off, len)) {
                unparsable++;
                return;
            }
            frames++;
            switch (scanner.type()) {
                case SUBSCRIBED -> subscribedNow(loop.readNanos());
                case ERROR -> errorCodes.merge(String.valueOf(scanner.code()), 1L, Long::sum);
                case BATCH_UPDATE, PRICE_UPDATE -> quotes(a, loop.readMicros(), loop.readNanos());
                default -> { }
            }
        }

        @Override
        public void binary() {
            unparsable++;
        }

        @Override
        public void ended(Ending ending) {
            switch (ending.kind()) {
                case NOT_UPGRADED -> fail(ending.reason());
                case BROKEN -> transportErrors++;
                case CLOSED_BY_SERVER -> serverCloses.merge(ending.closeCode(), 1L, Long::sum); // not the echo of ours
                default -> { } // dropped, or our goodbye answered
            }
            shutdown();
        }

        void subscribedNow(long nowNanos) {
            if (isSubscribed) {
                return;
            }
            isSubscribed = true;
            if (subscribed == 0) {
                firstSubscribedNanos = nowNanos;
            }
            subscribed = subscribed + 1;
            settle();
        }

        void quotes(byte[] a, long nowMicros, long nowNanos) {
            if (scanner.type() == QuoteScanner.Type.BATCH_UPDATE) {
                batchFrames++;
            }
            int n = scanner.quotes();
            boolean snapshot = scanner.snapshot();
            if (!snapshot) {
                received = received + n;
                timeline.record(nowNanos, n);
            }
            long newDelivered = 0;
            for (int i = 0; i < n; i++) {
                int slot = held.slot(symbols.indexOf(a, scanner.symbolOffset(i), scanner.symbolLength(i)));
                if (slot < 0) {
                    unknownSymbols++;
                    continue;
                }
                long seq = scanner.seq(i);
                long last = held.seq(slot);
                if (seq <= last) {
                    if (snapshot) {
                        staleSnapshots++; // the snapshot came after a newer live update (PROTOCOL.md: snapshots first)
                    } else if (seq == last) {
                        duplicates++;
                    } else {
                        outOfOrder++;
                    }
                    continue;
                }
                held.hold(slot, seq);
                if (snapshot) {
                    snapshots++;
                    continue;
                }
                long stamp = scanner.ingestedMicros(i);
                if (stamp > newestIngestedMicros) {
                    newestIngestedMicros = stamp;
                }
                if (window.contains(stamp)) {
                    newDelivered++;
                    latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(0, nowMicros - stamp)));
                }
            }
            if (newDelivered > 0) {
                delivered = delivered + newDelivered;
            }
        }

        void fail(String kind) {
            if (!settledOnce) {
                connectErrors++;
                connectErrorKinds.merge(kind, 1L, Long::sum);
            }
            shutdown();
        }

        void settle() {
            if (!settledOnce) {
                settledOnce = true;
                inFlight.release();
                settled.countDown();
            }
        }

        /** Closes the socket (if one was ever opened) and counts the client out. */
        void shutdown() {
            if (connection == null) {
                return;
            }
            settle();
            if (isSubscribed) {
                isSubscribed = false;
                subscribed = subscribed - 1;
            }
            connection.close();
        }
    }

    /** CPU seconds the loop's thread (every client) used so far; -1 where the JVM cannot tell. */
    public double clientThreadCpuSeconds() {
        return loop.cpuSeconds();
    }

    /** Quotes delivered so far: new seq for the client and symbol, stamped inside the window. */
    public long delivered() {
        return delivered;
    }

    /** Every live quote received (not snapshots), in the window or not. */
    public long received() {
        return received;
    }

    public long newestIngestedMicros() {
        return newestIngestedMicros;
    }

    public int subscribed() {
        return subscribed;
    }

    /** nanoTime of the first subscribe acknowledgement (0 before any). */
    public long firstSubscribedNanos() {
        return firstSubscribedNanos;
    }

    /** Symbol -> number of subscribed clients that asked for it. */
    public Map<String, Integer> subscribersPerSymbol(List<String> allSymbols) {
        Map<String, Integer> out = new HashMap<>();
        for (Client c : clients) {
            if (c.isSubscribed) {
                for (int k = 0; k < c.held.size(); k++) {
                    out.merge(allSymbols.get(c.held.symbolIndex(k)), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** The latency of the deliveries counted since the last call (or the start), and starts a new interval. */
    public Histogram takeLatency() throws InterruptedException {
        return loop.call(() -> {
            Histogram taken = latencyMicros.copy();
            latencyMicros.reset();
            return taken;
        });
    }

    /** What the clients saw; call after {@link #close()}. */
    public Totals totals() {
        return new Totals(delivered, received, duplicates, outOfOrder, snapshots, staleSnapshots, frames, batchFrames, unparsable,
                unknownSymbols, connectErrors, transportErrors + loop.failures(), latencyMicros.copy(), Map.copyOf(errorCodes),
                Map.copyOf(serverCloses), Map.copyOf(connectErrorKinds));
    }

    public record Totals(long delivered, long received, long duplicates, long outOfOrder, long snapshots, long staleSnapshots,
                         long frames,
                         long batchFrames, long unparsable, long unknownSymbols, long connectErrors, long transportErrors,
                         Histogram latencyMicros, Map<String, Long> errorCodes, Map<Integer, Long> serverCloses,
                         Map<String, Long> connectErrorKinds) {
    }

    /** Sends every open client's close frame, stops the loop and closes the sockets. */
    @Override
    public void close() throws InterruptedException {
        if (!loop.isRunning()) {
            return;
        }
        loop.call(() -> {
            clients.forEach(c -> {
                if (c.connection != null) {
                    c.connection.sendClose(GOODBYE);
                }
            });
            return null;
        });
        loop.stop();
    }
}
