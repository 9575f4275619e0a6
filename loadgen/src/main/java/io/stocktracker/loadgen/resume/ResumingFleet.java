package io.stocktracker.loadgen.resume;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N {@link ResumingClient}s over a list of edges: client i starts on edge {@code i % edges}, and every reconnect
 * resumes with {@code since}. The fleet's figures come in phases: {@link #startPhase()} forgets what came before,
 * {@link #endPhase} sums the phase over every client and checks that each holds the current seq of each of its
 * symbols.
 */
public final class ResumingFleet implements AutoCloseable {
    private final List<ResumingClient> clients = new ArrayList<>();
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private long phaseStartNanos = System.nanoTime();

    public ResumingFleet(List<URI> edges, List<List<String>> symbolsPerClient, int threads) {
        this.executor = Executors.newFixedThreadPool(threads, daemon("resuming-client"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("resuming-client-timer"));
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < symbolsPerClient.size(); i++) {
            clients.add(new ResumingClient(i, symbolsPerClient.get(i), edges, http, timer));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens every client, at most {@code perSecond} a second (0 = at once), and waits until all are subscribed. */
    public boolean connectAll(int perSecond, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            if (perSecond > 0) {
                long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            clients.get(i).connect();
        }
        return awaitAllSubscribed(timeout);
    }

    /** Waits until every client is subscribed (again); false when time ran out first. */
    public boolean awaitAllSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscribed() < clients.size()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public int subscribed() {
        int n = 0;
        for (ResumingClient c : clients) {
            if (c.subscribed()) {
                n++;
            }
        }
        return n;
    }

    /** Subscribed clients per edge (index in the list of edges). */
    public int[] subscribedPerEdge(int edges) {
        int[] n = new int[edges];
        for (ResumingClient c : clients) {
            int e = c.subscribedEdge();
            if (e >= 0 && e < edges) {
                n[e]++;
            }
        }
        return n;
    }

    public int size() {
        return clients.size();
    }

    /** Forgets the figures so far: the next {@link #endPhase} covers only what happens from now. */
    public void startPhase() {
        long now = System.nanoTime();
        for (ResumingClient c : clients) {
            c.takeTally(now);
        }
        phaseStartNanos = now;
    }

    /** (client, symbol) pairs whose seq is older than {@code current} (symbol -> seq). */
    public long behind(Map<String, Long> current) {
        long n = 0;
        for (ResumingClient c : clients) {
            n += c.behind(current);
        }
        return n;
    }

    /**
     * Ends a phase. {@code current} is each symbol's seq read from the source of truth a moment ago: every client that
     * is connected should hold it or newer by now; each (client, symbol) that does not is a lost latest value.
     */
    public PhaseFigures endPhase(String name, Map<String, Long> current) {
        long now = System.nanoTime();
        long lost = behind(current);
        List<PhaseTally> tallies = new ArrayList<>();
        for (ResumingClient c : clients) {
            tallies.add(c.takeTally(now));
        }
        int away = clients.size() - subscribed();
        PhaseFigures f = PhaseFigures.of(name, tallies, away, lost, (now - phaseStartNanos) / 1e9);
        phaseStartNanos = now;
        return f;
    }

    @Override
    public void close() {
        for (ResumingClient c : clients) {
            c.close();
        }
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
