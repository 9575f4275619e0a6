package io.stocktracker.loadgen.rawclient;

import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.loadgen.wire.Ending;
import io.stocktracker.loadgen.wire.RawConnection;
import io.stocktracker.loadgen.wire.SelectorLoop;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
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
 * subscribes to its symbols and hands what arrives to the {@link QuoteTally}; a quote's latency is the wall clock when
 * the loop's round of reads began minus its publish stamp. Counters other threads watch while the run goes are
 * volatile; the histogram, the timeline and the per-kind maps are read after {@link #close()}.
 */
public final class RawClientFleet implements AutoCloseable {
    private final URI url;
    private final List<Client> clients = new ArrayList<>();
    private final QuoteTally tally;
    private final SelectorLoop loop;
    private final QuoteScanner scanner = new QuoteScanner();
    private final Map<String, Long> errorCodes = new TreeMap<>();
    private final Map<Integer, Long> serverCloses = new TreeMap<>();
    private final Map<String, Long> connectErrorKinds = new TreeMap<>();
    private CountDownLatch settled = new CountDownLatch(0);
    private Semaphore inFlight = new Semaphore(Integer.MAX_VALUE);
    private Duration connectTimeout = Duration.ofSeconds(30);

    // written by the loop's thread only
    private volatile int subscribed;
    private volatile long firstSubscribedNanos;
    private long frames;
    private long unparsable;
    private long connectErrors;
    private long transportErrors;

    /**
     * @param symbolsPerClient client i subscribes to {@code symbolsPerClient.get(i)}, each one of {@code allSymbols}
     * @param options          what every client subscribes with (null: none)
     */
    public RawClientFleet(URI url, List<String> allSymbols, List<List<String>> symbolsPerClient, SubscriptionOptions options,
                          MeasurementWindow window, DeliveryTimeline timeline) throws IOException {
        this.url = url;
        SymbolIndex symbols = new SymbolIndex(allSymbols);
        this.tally = new QuoteTally(symbols, window, timeline);
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
                case BATCH_UPDATE, PRICE_UPDATE -> tally.count(scanner, a, held, loop.readMicros(), loop.readNanos());
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
        return tally.delivered;
    }

    /** Every live quote received (not snapshots), in the window or not. */
    public long received() {
        return tally.received;
    }

    public long newestIngestedMicros() {
        return tally.newestIngestedMicros;
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
        return loop.call(tally::takeLatency);
    }

    /** What the clients saw; call after {@link #close()}. */
    public Totals totals() {
        QuoteTally q = tally;
        return new Totals(q.delivered, q.received, q.duplicates, q.outOfOrder, q.snapshots, q.staleSnapshots, frames, q.batchFrames,
                unparsable, q.unknownSymbols, connectErrors, transportErrors + loop.failures(), q.latency(), Map.copyOf(errorCodes),
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
                    c.connection.sendClose(CloseCode.NORMAL.code()); // the benchmark is over
                }
            });
            return null;
        });
        loop.stop();
    }
}
