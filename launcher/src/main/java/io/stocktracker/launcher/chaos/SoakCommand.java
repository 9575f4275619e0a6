package io.stocktracker.launcher.chaos;

import io.stocktracker.ingest.source.DefaultSymbols;
import io.stocktracker.loadgen.resume.ConnectionChurn;
import io.stocktracker.loadgen.resume.PhaseFigures;
import io.stocktracker.loadgen.resume.ResumingFleet;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stocktracker soak}: the seed's shape (clients x symbols at one quote a second each) plus connection churn,
 * for a given time; every interval one row of what would show a leak (the edge's heap after a full GC, RSS,
 * threads, file descriptors, Redis memory, consumer lag) into a CSV, redrawn as a PNG, and at the end the heap
 * slope per hour by least squares.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Seed load + connection churn for a duration; samples the edge every minute into CSV + PNG; prints the heap-after-GC slope per hour.")
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "how long to run after the warm-up (default ${DEFAULT-VALUE})")
    double minutes = 60;
    @Option(names = "--sample-seconds", description = "time between samples (default ${DEFAULT-VALUE})")
    int sampleSeconds = 60;
    @Option(names = "--clients", description = "steady clients, each on every symbol (default ${DEFAULT-VALUE})")
    int clients = 100;
    @Option(names = "--symbols", description = "symbols quoted once a second each (default ${DEFAULT-VALUE})")
    int symbols = 50;
    @Option(names = "--edges", description = "edges, each in its own JVM; edge-1 is sampled (default ${DEFAULT-VALUE})")
    int edges = 1;
    @Option(names = "--churn-per-second", description = "clients joining (and, after --churn-lifetime-seconds, leaving) each second (default ${DEFAULT-VALUE})")
    int churnPerSecond = 5;
    @Option(names = "--churn-lifetime-seconds", description = "(default ${DEFAULT-VALUE})")
    int churnLifetimeSeconds = 20;
    @Option(names = "--floor-window-minutes", description = "window whose lowest heap sample is the floor; longer than any saw-tooth (default ${DEFAULT-VALUE})")
    double floorWindowMinutes = 10;
    @Option(names = "--out", description = "directory for soak.csv, soak.png and the services' logs (default ${DEFAULT-VALUE})")
    Path out = Path.of("soak");

    private final PrintStream stdout;

    public SoakCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path csv = out.resolve("soak.csv");
        Path png = out.resolve("soak.png");
        List<String> all = DefaultSymbols.first(symbols);
        List<List<String>> perClient = Collections.nCopies(clients, all);
        Map<String, String> ingestEnv = Map.of("INGEST_SOURCES", "simulated", "SIMULATED_SYMBOL_COUNT", String.valueOf(symbols),
                "INGEST_INTERVAL_MS", "1000", "INGEST_HTTP_PORT", "0");
        List<SoakSample> samples = new ArrayList<>();
        stdout.println("[soak] load " + ProcessProbe.loadAverage() + "; starting the stack (logs in " + out.resolve("logs") + ")");
        try (FaultStack stack = FaultStack.start(edges, ingestEnv, Map.of(), out.resolve("logs"), stdout);
             ResumingFleet fleet = new ResumingFleet(stack.edgeUrls(), perClient, 2);
             ConnectionChurn churn = new ConnectionChurn(stack.edgeUrls(), all, churnPerSecond, Duration.ofSeconds(churnLifetimeSeconds));
             ConsumerLag lag = new ConsumerLag(stack.bootstrapServers());
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            if (!fleet.connectAll(50, Duration.ofSeconds(120))) {
                stdout.println("[soak] only " + fleet.subscribed() + " of " + clients + " clients subscribed");
                return 1;
            }
            churn.start();
            w.println(SoakSample.CSV_HEADER);
            w.flush();
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            fleet.startPhase();
            for (int i = 0; ; i++) {
                long due = start + i * sampleSeconds * 1_000_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                Map<String, Long> current = stack.currentSeqs(all);
                Thread.sleep(3000); // every client connected has had time to receive those seqs
                PhaseFigures f = fleet.endPhase("minute " + i, current);
                long pid = stack.edgePid(0);
                SoakSample s = new SoakSample((System.nanoTime() - start) / 60e9, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                        ProcessProbe.heapAfterGcBytes(pid), ProcessProbe.rssKb(pid), ProcessProbe.threads(pid),
                        ProcessProbe.fileDescriptors(pid), stack.redisUsedMemory(), lag.total(), fleet.subscribed(),
                        churn.joined(), churn.left(), f.duplicates(), f.lost(), ProcessProbe.loadAverage());
                samples.add(s);
                w.println(s.csv());
                w.flush();
                stdout.println("[soak] " + s.csv());
                SoakChart.write(samples, "soak: " + clients + " clients x " + symbols + " symbols + churn " + churnPerSecond + "/s", png);
                if (System.nanoTime() >= end) {
                    break;
                }
            }
        }
        double slope = heapSlopeMbPerHour(samples);
        double floorSlope = HeapFloor.slopeMbPerHour(samples, floorWindowMinutes);
        stdout.println(String.format(Locale.ROOT, "[soak] %d samples over %.1f min; heap after GC slope %.3f MB/hour "
                + "(least squares of every sample), floor slope %.3f MB/hour (least squares of the lowest sample of each "
                + "%.0f-minute window); duplicates %d, lost %d; csv %s, plot %s", samples.size(),
                samples.get(samples.size() - 1).minutes(), slope, floorSlope, floorWindowMinutes, samples.stream().mapToLong(SoakSample::duplicates).sum(),
                samples.stream().mapToLong(SoakSample::lost).sum(), csv.toAbsolutePath(), png.toAbsolutePath()));
        return 0;
    }

    static double heapSlopeMbPerHour(List<SoakSample> samples) {
        List<SoakSample> ok = samples.stream().filter(s -> s.heapAfterGcBytes() >= 0).toList();
        double[] x = ok.stream().mapToDouble(s -> s.minutes() / 60).toArray();
        double[] y = ok.stream().mapToDouble(s -> s.heapAfterGcBytes() / 1e6).toArray();
        return LeastSquares.slope(x, y);
    }
}
