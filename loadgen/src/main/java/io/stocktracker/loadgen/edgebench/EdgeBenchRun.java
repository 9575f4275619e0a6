package io.stocktracker.loadgen.edgebench;

import io.stocktracker.loadgen.feed.RedisPublisher;
import io.stocktracker.loadgen.rawclient.RawClientFleet;
import io.stocktracker.loadgen.report.DeliveryMath;
import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.LatencySummary;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run against an edge: start the publisher, connect and subscribe every client at once (as a
 * deploy or a reconnect storm brings them), optionally soak at a lower rate, warm up, then measure one window
 * (or, for a rate ladder, one window per rate until a step misses 99 % or p99 1 s), each followed by a drain
 * that waits for the window's quotes still in flight.
 */
final class EdgeBenchRun {
    /** Handshakes pending at once while connecting. */
    static final int MAX_CONNECTS_IN_FLIGHT = 512;
    /** The ladder's bar, issue 12's "highest rate at >= 99 % delivery and p99 <= 1 s". */
    static final double LADDER_P99_LIMIT_MS = 1_000;

    private final BenchPlan plan;
    private final EdgeUnderTest edge;
    private final PrintStream progress;
    /** What every client subscribes with; null = no options. */
    private final SubscriptionOptions options;
    /** nanoTime when the last window closed: the stall figure covers subscribe -> the first window's end, not its drain. */
    private long windowClosedNanos;

    EdgeBenchRun(BenchPlan plan, EdgeUnderTest edge, PrintStream progress, SubscriptionOptions options) {
        this.options = options;
        this.plan = plan;
        this.edge = edge;
        this.progress = progress;
    }

    BenchResult run(double[] loadAverageStart) throws Exception {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long t0 = System.nanoTime();
        long pid = edge.pid();
        long rssStart = pid > 0 ? ProcStats.rssKb(pid) : -1;
        MeasurementWindow window = new MeasurementWindow();
        long span = plan.soak().toSeconds() + plan.warmup().toSeconds()
                + plan.duration().toSeconds() * Math.max(1, plan.ladder().size()) + 120;
        DeliveryTimeline timeline = new DeliveryTimeline(t0, span);
        List<BenchResult.Window> windows = new ArrayList<>();
        BenchResult.Idle idle = null;
        RedisPublisher publisher = null;
        RawClientFleet fleet = new RawClientFleet(edge.wsUrl(), plan.symbols(), plan.symbolsPerClientList(), options, window,
                timeline);
        long stallUntil = 0;
        int subscribedAtEnd = 0;
        try {
            List<Double> rates = plan.ladder().isEmpty() ? List.of(plan.rate()) : plan.ladder().stream().map(Integer::doubleValue).toList();
            if (!plan.idle()) {
                double first = plan.soak().isZero() ? rates.get(0) : plan.soakRate();
                publisher = new RedisPublisher(edge.redisUrl(), plan.symbols(), window).start(plan.publishRateFor(first));
                say("publishing %.0f quotes/s into Redis (%.0f deliveries/s)", plan.publishRateFor(first), first);
            }
            say("connecting %d clients to %s (%s/s, %d handshakes in flight at most)", plan.clients(), edge.wsUrl(),
                    plan.connectRate() == 0 ? "unpaced" : String.valueOf(plan.connectRate()), MAX_CONNECTS_IN_FLIGHT);
            int subscribed = fleet.connectAll(plan.connectRate(), MAX_CONNECTS_IN_FLIGHT, plan.connectTimeout());
            say("%d of %d subscribed", subscribed, plan.clients());
            if (plan.idle()) {
                TimeUnit.MILLISECONDS.sleep(plan.duration().toMillis());
                long rssAfter = pid > 0 ? ProcStats.rssKb(pid) : -1;
                idle = new BenchResult.Idle(fleet.subscribed(), rssStart, rssAfter);
                say("edge RSS %d KiB before, %d KiB after %d idle connections", rssStart, rssAfter, fleet.subscribed());
            } else {
                if (!plan.soak().isZero()) {
                    say("soaking %d s at %.0f quotes/s", plan.soak().toSeconds(), plan.soakRate());
                    TimeUnit.MILLISECONDS.sleep(plan.soak().toMillis());
                    publisher.setRate(plan.publishRateFor(rates.get(0)));
                }
                say("warming up %d s", plan.warmup().toSeconds());
                TimeUnit.MILLISECONDS.sleep(plan.warmup().toMillis());
                for (int i = 0; i < rates.size(); i++) {
                    double rate = rates.get(i);
                    if (i > 0) {
                        publisher.setRate(plan.publishRateFor(rate));
                        TimeUnit.SECONDS.sleep(2); // the new rate settles before it is measured
                    }
                    BenchResult.Window w = measure(rate, window, publisher, fleet);
                    windows.add(w);
                    if (stallUntil == 0) {
                        stallUntil = windowClosedNanos;
                    }
                    say("%.0f quotes/s: %d of %d delivered (%.3f %%), p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %.2f us edge CPU per quote",
                            rate, w.delivered(), w.expected(), w.deliveryPercent(), w.latencyMs().p50(), w.latencyMs().p99(),
                            w.latencyMs().p999(), w.cpuMicrosPerQuote());
                    if (!plan.ladder().isEmpty() && !w.passes(LADDER_P99_LIMIT_MS)) {
                        break;
                    }
                    if (!edge.alive()) {
                        say("the edge process died");
                        break;
                    }
                }
            }
            subscribedAtEnd = fleet.subscribed();
        } finally {
            if (publisher != null) {
                publisher.stop();
            }
            fleet.close();
            if (publisher != null) {
                publisher.close();
            }
        }
        long end = stallUntil == 0 ? System.nanoTime() : stallUntil;
        long from = fleet.firstSubscribedNanos() == 0 ? t0 : fleet.firstSubscribedNanos();
        RawClientFleet.Totals t = fleet.totals();
        BenchResult.Window main = windows.isEmpty() ? null : windows.get(0);
        Double maxRate = null;
        if (!plan.ladder().isEmpty()) {
            maxRate = windows.stream().filter(w -> w.passes(LADDER_P99_LIMIT_MS)).mapToDouble(BenchResult.Window::rate).max().stream()
                    .boxed().findFirst().orElse(0.0);
        }
        long rssEnd = pid > 0 ? ProcStats.rssKb(pid) : -1;
        return new BenchResult(plan.scenario(), startedAt, edge.description(), plan.clients(), subscribedAtEnd,
                plan.symbols().size(), plan.symbolsPerClient(), plan.ladder().isEmpty() ? plan.rate() : plan.ladder().get(0),
                plan.publishRateFor(plan.ladder().isEmpty() ? plan.rate() : plan.ladder().get(0)), plan.warmup().toMillis() / 1000.0,
                plan.soak().toMillis() / 1000.0, main, new BenchResult.Edge(pid, rssStart, rssEnd), loadAverageStart,
                ProcStats.loadAverage(), plan.idle() ? 0 : timeline.longestGapSeconds(from, end),
                timeline.perSecond(from, end),
                new BenchResult.Counts(t.received(), t.duplicates(), t.outOfOrder(), t.snapshots(), t.staleSnapshots(), t.frames(), t.batchFrames(),
                        t.unparsable(), t.unknownSymbols(), t.connectErrors(), t.connectErrorKinds(), t.transportErrors(),
                        t.serverCloses(), t.errorCodes(), publisher == null ? 0 : publisher.failed(),
                        publisher == null ? null : publisher.lastError()),
                idle, plan.ladder().isEmpty() ? List.of() : windows, maxRate);
    }

    private BenchResult.Window measure(double rate, MeasurementWindow window, RedisPublisher publisher, RawClientFleet fleet)
            throws InterruptedException {
        long pid = edge.pid();
        Map<String, Long> producedBefore = publisher.producedInWindow();
        long deliveredBefore = fleet.delivered();
        long sentBefore = publisher.sent();
        fleet.takeLatency(); // what arrived before the window is not this window's
        double cpuBefore = pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
        long conflationsBefore = edge.conflations();
        double clientCpuBefore = fleet.clientThreadCpuSeconds();
        long opened = System.nanoTime();
        window.open(MeasurementWindow.nowMicros());
        say("measuring %d s at %.0f quotes/s", plan.duration().toSeconds(), rate);
        TimeUnit.MILLISECONDS.sleep(plan.duration().toMillis());
        window.close(MeasurementWindow.nowMicros());
        windowClosedNanos = System.nanoTime();
        double seconds = (System.nanoTime() - opened) / 1e9;
        double cpuAfter = pid > 0 ? ProcStats.cpuSeconds(pid) : -1;
        double clientCpu = clientCpuBefore < 0 ? -1 : fleet.clientThreadCpuSeconds() - clientCpuBefore;
        long published = publisher.sent() - sentBefore;
        if (!publisher.awaitAnswered(plan.maxDrain())) {
            say("Redis has not acknowledged every publish of the window within %d s: expected counts only what it did",
                    plan.maxDrain().toSeconds());
        }
        Map<String, Long> produced = new HashMap<>();
        publisher.producedInWindow().forEach((s, n) -> produced.put(s, n - producedBefore.getOrDefault(s, 0L)));
        long expected = DeliveryMath.expected(produced, fleet.subscribersPerSymbol(plan.symbols()));
        drain(fleet, window, deliveredBefore + expected);
        long delivered = fleet.delivered() - deliveredBefore;
        long conflationsAfter = edge.conflations();
        long conflations = conflationsBefore < 0 || conflationsAfter < 0 ? -1 : conflationsAfter - conflationsBefore;
        double cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
        return new BenchResult.Window(rate, plan.publishRateFor(rate), seconds, expected, delivered,
                LatencySummary.of(fleet.takeLatency()), cpu, published, clientCpu, conflations);
    }

    /**
     * Waits for the window's quotes still on their way: until all arrived; or a quote stamped after the window
     * arrived and deliveries then stood still for a second (nothing older is coming); or nothing at all arrived
     * for ten seconds; or the drain limit.
     */
    private void drain(RawClientFleet fleet, MeasurementWindow window, long expectedTotal) throws InterruptedException {
        long deadline = System.nanoTime() + plan.maxDrain().toNanos();
        long lastDelivered = -1;
        long lastReceived = -1;
        long deliveredSince = System.nanoTime();
        long receivedSince = System.nanoTime();
        while (System.nanoTime() < deadline && fleet.delivered() < expectedTotal) {
            long now = System.nanoTime();
            if (fleet.delivered() != lastDelivered) {
                lastDelivered = fleet.delivered();
                deliveredSince = now;
            }
            if (fleet.received() != lastReceived) {
                lastReceived = fleet.received();
                receivedSince = now;
            }
            if (fleet.newestIngestedMicros() >= window.endMicros() && now - deliveredSince > TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            if (now - receivedSince > TimeUnit.SECONDS.toNanos(10)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void say(String format, Object... args) {
        progress.println("[bench-edge] " + String.format(Locale.ROOT, format, args));
    }
}
