package io.stocktracker.launcher.chaos;

import io.stocktracker.ingest.source.DefaultSymbols;
import io.stocktracker.loadgen.storm.StormFigures;
import io.stocktracker.loadgen.storm.StormFleet;
import io.stocktracker.schemas.redis.ControlMessage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stocktracker storm}: N clients on one edge (its own JVM; the clients in this one), all dropped at once,
 * twice: by an edge restart (SIGKILL, start again on its port) and by a drain followed by resume (the same JVM, so
 * its heap and file descriptors after GC can be held against the pre-storm level). Prints how long until every
 * client was subscribed again and held every symbol's current seq, and the edge's heap after GC, RSS, threads and
 * file descriptors before and after.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "Reconnect storm: N clients dropped at once by an edge restart and by a drain; time to resubscribe and resync, edge heap/fds before and after.")
public final class StormCommand implements Callable<Integer> {
    @Option(names = "--clients", description = "(default ${DEFAULT-VALUE})")
    int clients = 10_000;
    @Option(names = "--symbols", description = "symbols quoted once a second each (default ${DEFAULT-VALUE})")
    int symbols = 50;
    @Option(names = "--symbols-per-client", description = "(default ${DEFAULT-VALUE})")
    int symbolsPerClient = 5;
    @Option(names = "--interval-ms", description = "each symbol quoted every (default ${DEFAULT-VALUE}); 10,000 clients x 5 symbols at 1 s "
            + "are 50,000 frames a second, more than one edge on a 2-core box delivers")
    int intervalMs = 1000;
    @Option(names = "--connect-per-second", description = "pace of the first connections (default ${DEFAULT-VALUE})")
    int connectPerSecond = 1000;
    @Option(names = "--edge-heap", description = "the edge JVM's -Xmx (default ${DEFAULT-VALUE})")
    String edgeHeap = "1g";
    @Option(names = "--within-seconds", description = "the target: every client back and resynced within (default ${DEFAULT-VALUE})")
    int withinSeconds = 30;
    @Option(names = "--out", description = "directory for the services' logs (default ${DEFAULT-VALUE})")
    Path out = Path.of("storm");

    private static final int RESYNC_TIMEOUT_SECONDS = 180;
    private static final int CHECKS_PER_SECOND = 4;

    private final PrintStream stdout;

    public StormCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    private record Probe(long heapAfterGc, long rssKb, long threads, long fds) {
        static Probe of(long pid) {
            return new Probe(ProcessProbe.heapAfterGcBytes(pid), ProcessProbe.rssKb(pid), ProcessProbe.threads(pid),
                    ProcessProbe.fileDescriptors(pid));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap after GC %.1f MB, RSS %.0f MB, threads %d, fds %d", heapAfterGc / 1e6,
                    rssKb / 1e3, threads, fds);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> all = DefaultSymbols.first(symbols);
        List<List<String>> perClient = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<String> mine = new ArrayList<>();
            for (int k = 0; k < symbolsPerClient; k++) {
                mine.add(all.get((i * symbolsPerClient + k) % all.size()));
            }
            perClient.add(mine);
        }
        Map<String, String> ingestEnv = Map.of("INGEST_SOURCES", "simulated", "SIMULATED_SYMBOL_COUNT", String.valueOf(symbols),
                "INGEST_INTERVAL_MS", String.valueOf(intervalMs), "INGEST_HTTP_PORT", "0");
        boolean ok = true;
        stdout.println("[storm] " + Instant.now() + " load " + ProcessProbe.loadAverage() + "; " + clients + " clients x "
                + symbolsPerClient + " of " + symbols + " symbols, each quoted every " + intervalMs + " ms, on one edge (-Xmx" + edgeHeap + ")");
        try (FaultStack stack = FaultStack.start(1, "-Xmx" + edgeHeap, ingestEnv, Map.of(), out.resolve("logs"), stdout);
             StormFleet fleet = new StormFleet(stack.edgeUrls(), all, perClient)) {
            Probe idle = Probe.of(stack.edgePid(0));
            stdout.println("[storm] edge idle (no client): " + idle);
            long c0 = System.nanoTime();
            boolean allIn = fleet.connectAll(connectPerSecond, Duration.ofSeconds(300));
            stdout.printf(Locale.ROOT, "[storm] %d/%d clients subscribed in %.1f s%n", fleet.subscribed(), clients, (System.nanoTime() - c0) / 1e9);
            ok &= allIn; // the storm still runs with those who made it: how they come back is worth knowing
            fleet.startPhase();
            ok &= awaitResynced(fleet, stack, all, System.nanoTime()) > 0;
            fleet.endPhase();

            Probe before = Probe.of(stack.edgePid(0));
            stdout.println("[storm] before the restart storm: " + before);
            fleet.startPhase();
            long t0 = System.nanoTime();
            stack.killEdge(0);
            stack.restartEdge(0);
            long ready = System.nanoTime();
            ok &= report("edge restart (SIGKILL, start on the same port)", fleet, stack, all, t0, ready);
            Probe after = Probe.of(stack.edgePid(0));
            stdout.println("[storm] after the restart storm (new edge JVM): " + after);

            Probe before2 = after;
            fleet.startPhase();
            t0 = System.nanoTime();
            stack.control(ControlMessage.Command.drain, stack.edgeId(0));
            Thread.sleep(1000);
            stack.control(ControlMessage.Command.resume, stack.edgeId(0));
            ok &= report("drain + resume (same edge JVM)", fleet, stack, all, t0, System.nanoTime());
            Probe after2 = Probe.of(stack.edgePid(0));
            stdout.println("[storm] after the drain storm (same JVM): " + after2);
            stdout.printf(Locale.ROOT, "[storm] same-JVM change across the drain storm: heap after GC %+.1f MB, fds %+d, threads %+d%n",
                    (after2.heapAfterGc - before2.heapAfterGc) / 1e6, after2.fds - before2.fds, after2.threads - before2.threads);
        }
        stdout.println("[storm] done; load " + ProcessProbe.loadAverage());
        return ok ? 0 : 1;
    }

    /**
     * Waits until every client is subscribed and holds what each symbol's seq was a second earlier (a quote the relay
     * has just cached in Redis may still be on its way to the clients), after the feed moved past where it was at
     * {@code t0}. Returns the nanoTime of the check that found them all, or -1.
     */
    private long awaitResynced(StormFleet fleet, FaultStack stack, List<String> all, long t0) throws InterruptedException {
        Map<String, Long> atDrop = seqs(stack, all);
        java.util.ArrayDeque<Map<String, Long>> reads = new java.util.ArrayDeque<>();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(RESYNC_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            reads.addLast(seqs(stack, all));
            if (reads.size() > CHECKS_PER_SECOND) {
                Map<String, Long> aSecondAgo = reads.removeFirst();
                if (aSecondAgo.size() == all.size() && advanced(atDrop, aSecondAgo)) {
                    long behind = fleet.resyncCheck(aSecondAgo);
                    if (behind == 0 && fleet.subscribed() == fleet.size()) {
                        return System.nanoTime();
                    }
                    lastBehind = behind;
                }
            }
            Thread.sleep(1000 / CHECKS_PER_SECOND);
        }
        return -1;
    }

    private long lastBehind;

    private static Map<String, Long> seqs(FaultStack stack, List<String> all) {
        try {
            return stack.currentSeqs(all);
        } catch (RuntimeException e) {
            return Map.of(); // Redis busy: the next check
        }
    }

    private static boolean advanced(Map<String, Long> before, Map<String, Long> now) {
        return before.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), Long.MIN_VALUE) > e.getValue());
    }

    private boolean report(String what, StormFleet fleet, FaultStack stack, List<String> all, long t0, long edgeReady)
            throws InterruptedException {
        long resynced = awaitResynced(fleet, stack, all, t0);
        StormFigures f = fleet.endPhase();
        stdout.println("[storm] " + what + ":");
        stdout.printf(Locale.ROOT, "[storm]   edge ready again %.1f s after the drop; every client subscribed and on every symbol's "
                + "current seq %s after the drop%n", (edgeReady - t0) / 1e9,
                resynced < 0 ? "NOT within " + RESYNC_TIMEOUT_SECONDS + " s (" + fleet.subscribed() + "/" + fleet.size()
                        + " subscribed, " + lastBehind + " (client, symbol) pairs behind)"
                        : String.format(Locale.ROOT, "%.1f s", (resynced - t0) / 1e9));
        stdout.println("[storm]   " + f.summary());
        return resynced > 0 && (resynced - t0) / 1e9 <= withinSeconds && f.duplicates() == 0 && f.resynced() == f.dropped();
    }
}
