package io.stocktracker.loadgen.client;

import io.stocktracker.loadgen.plan.SymbolAssignment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * All simulated clients of a run. Connections are opened at {@code connectRate} per second with at most
 * {@code maxInFlight} handshakes pending (a real fleet of browsers does not arrive in one microsecond);
 * a reconnect storm deliberately ignores both.
 */
public final class ClientFleet implements AutoCloseable {
    /** One JDK HttpClient (one selector thread) per this many sockets. */
    private static final int SOCKETS_PER_HTTP_CLIENT = 2_500;

    private final List<URI> urls;
    private final Duration connectTimeout;
    private final List<WsClient> clients = new ArrayList<>();
    private final List<HttpClient> https = new ArrayList<>();
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.ThreadFactory slowThreads = daemon("loadgen-slow-client");
    private final int slowReceiveBuffer;
    private final LongAdder connectErrors = new LongAdder();
    private final Map<String, LongAdder> connectErrorKinds = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> serverCloses = new ConcurrentHashMap<>();
    private final LongAdder transportErrors = new LongAdder();
    private final AtomicInteger subscribedNow = new AtomicInteger();
    private final java.util.Set<Integer> subscribedIds = ConcurrentHashMap.newKeySet();
    private final Histogram subscribeMillis = new Histogram(600_000, 3);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public ClientFleet(List<URI> urls, SymbolAssignment assignment, int slowClients, Duration slowReadDelay,
                       GroupStats fastStats, GroupStats slowStats, Duration connectTimeout, int slowReceiveBuffer) {
        this.urls = List.copyOf(urls);
        this.slowReceiveBuffer = slowReceiveBuffer;
        this.connectTimeout = connectTimeout;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.callbacks = Executors.newFixedThreadPool(threads, daemon("loadgen-ws"));
        this.scheduler = Executors.newScheduledThreadPool(1, daemon("loadgen-slow-reader"));
        int httpClients = Math.max(1, (assignment.clients() + SOCKETS_PER_HTTP_CLIENT - 1) / SOCKETS_PER_HTTP_CLIENT);
        for (int i = 0; i < httpClients; i++) {
            https.add(HttpClient.newBuilder().executor(callbacks).connectTimeout(connectTimeout).build());
        }
        WsClient.ClientEvents events = new WsClient.ClientEvents() {
            @Override
            public void closedByServer(int statusCode) {
                serverCloses.computeIfAbsent(statusCode, k -> new LongAdder()).increment();
            }

            @Override
            public void transportError(Throwable error) {
                transportErrors.increment();
            }
        };
        for (int i = 0; i < assignment.clients(); i++) {
            boolean slow = i < slowClients;
            clients.add(new WsClient(i, assignment.symbolsFor(i), slow ? slowStats : fastStats,
                    slow ? slowReadDelay : Duration.ZERO, scheduler, events));
        }
    }

    /**
     * Connects every client (paced) and waits until each is subscribed or failed.
     * @param connectRate connections per second, 0 = as fast as possible
     * @param progress called with the number of clients settled so far
     * @return the number of clients subscribed
     */
    public int connectAll(int connectRate, int maxInFlight, IntConsumer progress) throws InterruptedException {
        return connect(clients, connectRate, maxInFlight, progress);
    }

    /**
     * Drops every connection at the same instant and reconnects all of them at once.
     * @return milliseconds from the drop until the last client was subscribed again (or gave up)
     */
    public long reconnectStorm(IntConsumer progress) throws InterruptedException {
        long started = System.nanoTime();
        clients.forEach(WsClient::drop);
        connect(clients, 0, Integer.MAX_VALUE, progress);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private int connect(List<WsClient> targets, int connectRate, int maxInFlight, IntConsumer progress)
            throws InterruptedException {
        subscribedNow.set(0);
        subscribedIds.clear();
        synchronized (subscribeMillis) {
            subscribeMillis.reset();
        }
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger settled = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(targets.size());
        long start = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            if (connectRate > 0) {
                long due = start + (long) (i * 1e9 / connectRate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            inFlight.acquire();
            WsClient c = targets.get(i);
            HttpClient http = https.get(i % https.size());
            URI url = urls.get(c.id() % urls.size());
            CompletableFuture<Long> done = (c.slow() ? c.connectSlow(url, connectTimeout, slowReceiveBuffer, slowThreads)
                    : c.connect(http, url, connectTimeout))
                    .orTimeout(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .whenComplete((ackNanos, error) -> {
                        inFlight.release();
                        if (error == null) {
                            subscribedNow.incrementAndGet();
                            subscribedIds.add(c.id());
                            synchronized (subscribeMillis) {
                                subscribeMillis.recordValue(Math.min(600_000,
                                        TimeUnit.NANOSECONDS.toMillis(ackNanos - c.connectStartedNanos())));
                            }
                        } else {
                            connectErrors.increment();
                            connectErrorKinds.computeIfAbsent(kind(error), k -> new LongAdder()).increment();
                        }
                        progress.accept(settled.incrementAndGet());
                    });
            all.add(done);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(connectTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // every future handles its own outcome; a timeout here leaves stragglers counted as not subscribed
        }
        return subscribedNow.get();
    }

    static String kind(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof WebSocketHandshakeException h) {
            return "handshake HTTP " + h.getResponse().statusCode();
        }
        if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
            return "timeout";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return t.getClass().getSimpleName();
    }

    public long connectErrors() {
        return connectErrors.sum();
    }

    public Map<String, Long> connectErrorKinds() {
        Map<String, Long> out = new TreeMap<>();
        connectErrorKinds.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<Integer, Long> serverCloses() {
        Map<Integer, Long> out = new TreeMap<>();
        serverCloses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long transportErrors() {
        return transportErrors.sum();
    }

    /** Clients subscribed in the last connect round. */
    public int subscribed() {
        return subscribedNow.get();
    }

    public boolean isSubscribed(int clientId) {
        return subscribedIds.contains(clientId);
    }

    /** Time from connect start to subscribed acknowledgement, per client, last round (ms). */
    public Histogram subscribeMillis() {
        synchronized (subscribeMillis) {
            return subscribeMillis.copy();
        }
    }

    public int size() {
        return clients.size();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (WsClient c : clients) {
            closing.add(c.close().orTimeout(5, TimeUnit.SECONDS));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing is best effort: whatever is still open is aborted below
        }
        clients.forEach(WsClient::drop);
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
