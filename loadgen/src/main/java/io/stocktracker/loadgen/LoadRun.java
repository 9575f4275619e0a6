package io.stocktracker.loadgen;

import io.stocktracker.loadgen.client.ClientFleet;
import io.stocktracker.loadgen.client.GroupStats;
import io.stocktracker.loadgen.feed.QuoteFeed;
import io.stocktracker.loadgen.metrics.EdgeMetricsSampler;
import io.stocktracker.loadgen.plan.LoadPlan;
import io.stocktracker.loadgen.plan.Scenario;
import io.stocktracker.loadgen.plan.SymbolAssignment;
import io.stocktracker.loadgen.report.DeliveryMath;
import io.stocktracker.loadgen.report.GroupResult;
import io.stocktracker.loadgen.report.LatencySummary;
import io.stocktracker.loadgen.report.LoadReport;
import io.stocktracker.loadgen.report.MeasurementWindow;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One measured run: connect and subscribe every client, start the feed, warm up, (storm,) open the
 * window, run, close the window, drain in-flight deliveries, then count.
 */
public final class LoadRun {
    /** Handshakes allowed in flight while connecting at the paced rate. */
    static final int MAX_CONNECTS_IN_FLIGHT = 256;

    private final LoadPlan plan;
    private final PrintStream progress;
    private final String edgeNote;

    public LoadRun(LoadPlan plan, PrintStream progress, String edgeNote) {
        this.plan = plan;
        this.progress = progress;
        this.edgeNote = edgeNote;
    }

    public LoadReport run() throws InterruptedException {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MeasurementWindow window = new MeasurementWindow();
        String counted = plan.drivesFeed() ? plan.feedSource() : null;
        GroupStats fast = new GroupStats(window, counted, !plan.drivesFeed());
        GroupStats slow = new GroupStats(window, counted, !plan.drivesFeed());
        SymbolAssignment assignment = new SymbolAssignment(plan.symbols(), plan.symbolsPerClient(), plan.clients());
        int slowCount = plan.slowClients();
        QuoteFeed feed = null;
        EdgeMetricsSampler sampler = new EdgeMetricsSampler(plan.metricsUrl());
        try (ClientFleet fleet = new ClientFleet(plan.wsUrls(), assignment, slowCount, plan.slowReadDelay(), fast, slow,
                plan.connectTimeout(), plan.slowReceiveBuffer())) {
            say("connecting %d clients to %s (%s/s)", plan.clients(), plan.wsUrls(),
                    plan.connectRate() == 0 ? "unpaced" : String.valueOf(plan.connectRate()));
            int subscribed = fleet.connectAll(plan.connectRate(), MAX_CONNECTS_IN_FLIGHT, n -> bar("connected", n, plan.clients()));
            endBar();
            say("%d subscribed, %d connect errors %s", subscribed, fleet.connectErrors(), fleet.connectErrorKinds());

            if (plan.drivesFeed()) {
                feed = new QuoteFeed(plan.bootstrapServers(), plan.symbols(), plan.rate(), plan.feedSource(), window).start();
                say("feed: %d quotes/s over %d symbols into quotes.raw via %s", plan.rate(), plan.symbols().size(), plan.bootstrapServers());
            }
            say("warming up %d s", plan.warmup().toSeconds());
            TimeUnit.MILLISECONDS.sleep(plan.warmup().toMillis());

            LoadReport.Reconnect reconnect = null;
            if (plan.scenario() == Scenario.RECONNECT_STORM) {
                say("dropping all %d connections at once and reconnecting", plan.clients());
                long allMillis = fleet.reconnectStorm(n -> bar("re-subscribed", n, plan.clients()));
                endBar();
                subscribed = fleet.subscribed();
                Histogram h = fleet.subscribeMillis();
                reconnect = new LoadReport.Reconnect(allMillis, subscribed, plan.clients(),
                        h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50),
                        h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99), h.getMaxValue());
                say("%d of %d re-subscribed within %d ms", subscribed, plan.clients(), allMillis);
            }

            sampler.start();
            long framesAtOpen = fast.frames() + slow.frames();
            long openedNanos = System.nanoTime();
            window.open(MeasurementWindow.nowMicros());
            long durationMillis = plan.duration().toMillis();
            for (long elapsed = 0; elapsed < durationMillis; elapsed += 1000) {
                TimeUnit.MILLISECONDS.sleep(Math.min(1000, durationMillis - elapsed));
                bar("measuring (s)", (int) Math.min(durationMillis, elapsed + 1000) / 1000, (int) (durationMillis / 1000));
            }
            window.close(MeasurementWindow.nowMicros());
            double windowSeconds = (System.nanoTime() - openedNanos) / 1e9;
            long framesInWindow = fast.frames() + slow.frames() - framesAtOpen;
            endBar();
            sampler.close();
            final int slowN = slowCount;
            Map<String, Integer> fastSubs = assignment.subscriberCounts(c -> c >= slowN && fleet.isSubscribed(c));
            Map<String, Integer> slowSubs = assignment.subscriberCounts(c -> c < slowN && fleet.isSubscribed(c));
            if (feed != null) {
                // the feed keeps running while draining (its quotes no longer count): the first quote newer than
                // the window to reach the clients proves that none of the window's quotes is still on its way
                TimeUnit.MILLISECONDS.sleep(200); // acknowledgements of the window's last sends
                long fastExpected = DeliveryMath.expected(feed.producedInWindow(), fastSubs);
                drain(fast, slow, window, fastExpected);
                feed.stop();
            } else {
                drain(fast, slow, window, Long.MAX_VALUE);
            }

            // stop every client before counting, so totals and latency histograms describe the same deliveries
            Map<Integer, Long> serverCloses = fleet.serverCloses();
            fleet.close();

            Map<String, Long> produced;
            if (feed != null) {
                produced = feed.producedInWindow();
            } else {
                produced = new HashMap<>(fast.distinctSeqsPerSymbol());
                slow.distinctSeqsPerSymbol().forEach((k, v) -> produced.merge(k, v, Math::max));
            }
            long producedTotal = produced.values().stream().mapToLong(Long::longValue).sum();
            int fastClients = (int) java.util.stream.IntStream.range(slowN, plan.clients()).filter(fleet::isSubscribed).count();
            int slowClients = (int) java.util.stream.IntStream.range(0, slowN).filter(fleet::isSubscribed).count();

            Histogram allLatency = fast.latencyMicros();
            allLatency.add(slow.latencyMicros());
            GroupResult fastResult = result(fast, fastClients, DeliveryMath.expected(produced, fastSubs));
            GroupResult slowResult = slowN == 0 ? null : result(slow, slowClients, DeliveryMath.expected(produced, slowSubs));
            EdgeMetricsSampler.EdgeUsage usage = sampler.usage();
            String note = usage.samples() == 0 && usage.lastFailure() != null ? usage.lastFailure() : edgeNote;
            Map<String, Long> errorCodes = new TreeMap<>(fast.errorCodes());
            slow.errorCodes().forEach((k, v) -> errorCodes.merge(k, v, Long::sum));
            return LoadReport.of(plan.name(), plan.scenario().name().toLowerCase(java.util.Locale.ROOT), startedAt,
                    plan.wsUrls().stream().map(URI::toString).collect(java.util.stream.Collectors.joining(",")), plan.clients(), subscribed, fleet.connectErrors(), fleet.connectErrorKinds(),
                    plan.symbols().size(), plan.symbolsPerClient(), feed != null, plan.rate(), windowSeconds, producedTotal,
                    feed == null ? 0 : feed.failed(), framesInWindow, LatencySummary.of(allLatency), fastResult, slowResult,
                    new LoadReport.Edge(usage.samples(), usage.cpuAvg(), usage.cpuMax(), usage.heapMaxBytes(), note,
                            usage.conflations(), usage.slowDisconnects()),
                    reconnect, serverCloses, errorCodes);
        } finally {
            sampler.close();
            if (feed != null) {
                feed.close();
            }
        }
    }

    private static GroupResult result(GroupStats stats, int clients, long expected) {
        return GroupResult.of(clients, expected, stats.delivered(), stats.duplicates(), stats.snapshots(), stats.frames(),
                stats.batchFrames(), LatencySummary.of(stats.latencyMicros()));
    }

    /**
     * Waits for in-window quotes still in flight, so a slow pipeline shows up as latency rather than as
     * loss: until every fast client has everything expected; or deliveries stopped growing for a second
     * after the pipeline delivered a quote ingested after the window (nothing older is still coming); or
     * no quote at all arrived for ten seconds; or the drain limit.
     */
    private void drain(GroupStats fast, GroupStats slow, MeasurementWindow window, long fastExpected)
            throws InterruptedException {
        long deadline = System.nanoTime() + plan.drain().toNanos();
        long lastDelivered = -1;
        long lastEntries = -1;
        long deliveredStableSince = System.nanoTime();
        long entriesStableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (fast.delivered() >= fastExpected) {
                return; // slow clients are conflated by design: they are not waited for
            }
            long delivered = fast.delivered() + slow.delivered();
            long entries = fast.entries() + slow.entries();
            long now = System.nanoTime();
            if (delivered != lastDelivered) {
                lastDelivered = delivered;
                deliveredStableSince = now;
            }
            if (entries != lastEntries) {
                lastEntries = entries;
                entriesStableSince = now;
            }
            boolean pipelinePassedWindow = Math.max(fast.newestIngestedMicros(), slow.newestIngestedMicros()) >= window.endMicros();
            if (pipelinePassedWindow && now - deliveredStableSince > TimeUnit.SECONDS.toNanos(1)) {
                return; // newer quotes arrive, so nothing from the window is still coming
            }
            if (now - entriesStableSince > TimeUnit.SECONDS.toNanos(10)) {
                return; // nothing at all arrives any more: the pipeline stalled
            }
            bar("draining (s)", (int) ((plan.drain().toNanos() - (deadline - now)) / 1_000_000_000L),
                    (int) plan.drain().toSeconds());
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.println("[loadgen] " + String.format(java.util.Locale.ROOT, format, args));
        }
    }

    private void bar(String label, int done, int total) {
        if (progress == null) {
            return;
        }
        if (done != total && done % Math.max(1, total / 50) != 0) {
            return;
        }
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        synchronized (progress) {
            progress.print("\r[loadgen] " + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
            progress.flush();
        }
    }

    private void endBar() {
        if (progress != null) {
            progress.println();
        }
    }
}
