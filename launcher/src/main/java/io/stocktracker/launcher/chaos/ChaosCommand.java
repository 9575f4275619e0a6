package io.stocktracker.launcher.chaos;

import io.stocktracker.ingest.source.DefaultSymbols;
import io.stocktracker.loadgen.resume.PhaseFigures;
import io.stocktracker.loadgen.resume.ResumingFleet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stocktracker chaos}: the stack with two edges in JVMs of their own, clients at the seed's shape resuming
 * with {@code since}, and the faults of issue 15 one after another; one table row per fault, counted at the clients.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Faults under load, counted at the clients: edge SIGKILL, Redis restart, broker restart, streams SIGKILL, "
                + "provider cut, pause/resume, drain. One table row per fault; exit 1 if anything was lost or duplicated.")
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--clients", description = "clients, each on every symbol (default ${DEFAULT-VALUE})")
    int clients = 100;
    @Option(names = "--symbols", description = "symbols, one quote a second each (default ${DEFAULT-VALUE})")
    int symbols = 50;
    @Option(names = "--edges", description = "edges, each in its own JVM (default ${DEFAULT-VALUE})")
    int edges = 2;
    @Option(names = "--faults", split = ",", description = "which faults, in order (default: all): ${COMPLETION-CANDIDATES}")
    List<Fault> faults = Arrays.asList(Fault.values());
    @Option(names = "--outage-seconds", description = "how long a part stays down (default ${DEFAULT-VALUE})")
    int outageSeconds = 5;
    @Option(names = "--recovery-timeout-seconds", description = "(default ${DEFAULT-VALUE})")
    int recoverySeconds = 90;
    @Option(names = "--out", description = "directory for the services' logs (default ${DEFAULT-VALUE})")
    Path out = Path.of("chaos");

    private final PrintStream stdout;

    public ChaosCommand(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        List<PhaseFigures> rows = run(clients, symbols, edges, faults, Duration.ofSeconds(outageSeconds),
                Duration.ofSeconds(recoverySeconds), out, stdout);
        return rows.stream().anyMatch(r -> r.lost() > 0 || r.duplicates() > 0 || r.stillAway() > 0) ? 1 : 0;
    }

    /** Runs the faults and prints the table; returns its rows (the baseline first). */
    static List<PhaseFigures> run(int clients, int symbolCount, int edges, List<Fault> faults, Duration outage,
                                  Duration recovery, Path out, PrintStream stdout) throws Exception {
        long t0 = System.nanoTime();
        List<String> symbols = DefaultSymbols.first(symbolCount);
        List<PhaseFigures> rows = new ArrayList<>();
        stdout.println("[chaos] " + Instant.now() + " load " + ProcessProbe.loadAverage() + "; " + clients + " clients x "
                + symbolCount + " symbols, " + edges + " edges; logs in " + out.resolve("logs"));
        try (ProviderStub provider = new ProviderStub();
             FaultStack stack = FaultStack.start(edges, ingestEnv(provider, symbols), Map.of(), out.resolve("logs"), stdout);
             ResumingFleet fleet = new ResumingFleet(stack.edgeUrls(), Collections.nCopies(clients, symbols), 2)) {
            if (!fleet.connectAll(50, recovery)) {
                throw new IllegalStateException("only " + fleet.subscribed() + " of " + clients + " clients subscribed");
            }
            ChaosRun run = new ChaosRun(stack, provider, fleet, symbols, outage, recovery, stdout);
            rows.add(run.baseline(Duration.ofSeconds(10)));
            stdout.println(PhaseFigures.header());
            stdout.println(rows.get(0).row());
            for (Fault f : faults) {
                PhaseFigures row = run.run(f);
                rows.add(row);
                stdout.println(row.row());
            }
        }
        stdout.println(String.format(Locale.ROOT, "[chaos] done in %.0f s; load %s. reconn: clients dropped and back "
                + "(+N! = still away); p50/p99/max: drop to subscribed again; silence: longest gap between two quotes of one "
                + "symbol at one client; lost: (client, symbol) behind the current seq after recovery; dups: seq at or below "
                + "one held; gaps(kept): seqs skipped at clients that stayed connected", (System.nanoTime() - t0) / 1e9,
                ProcessProbe.loadAverage()));
        return rows;
    }

    /** Twelve Data (the stub, which a fault cuts) first, the simulated source as the fallback, every second. */
    private static Map<String, String> ingestEnv(ProviderStub provider, List<String> symbols) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("INGEST_SOURCES", "twelvedata,simulated");
        env.put("INGEST_SYMBOLS", String.join(",", symbols));
        env.put("INGEST_INTERVAL_MS", "1000");
        env.put("INGEST_HTTP_PORT", "0");
        env.put("TWELVEDATA_API_KEY", "chaos");
        env.put("TWELVEDATA_BASE_URL", provider.baseUrl());
        env.put("INGEST_ALLOW_INSECURE_HTTP", "true");
        env.put("TWELVEDATA_PER_MINUTE", "0");
        env.put("TWELVEDATA_PER_DAY", "0");
        env.put("INGEST_BUDGET_WINDOW", "always");
        env.put("SIMULATED_SYMBOL_COUNT", String.valueOf(symbols.size()));
        return env;
    }
}
