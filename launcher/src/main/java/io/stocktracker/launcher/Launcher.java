package io.stocktracker.launcher;

import io.stocktracker.launcher.chaos.ChaosCommand;
import io.stocktracker.launcher.chaos.SoakCommand;
import io.stocktracker.launcher.chaos.StormCommand;
import io.stocktracker.launcher.replay.ReplayCommand;
import io.stocktracker.launcher.stack.Stack;
import io.stocktracker.launcher.stack.StackFile;
import io.stocktracker.launcher.stack.StackOptions;
import io.stocktracker.loadgen.LoadGen;
import io.stocktracker.loadgen.Target;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/stocktracker}: up, loadgen, replay, soak, chaos, storm. */
@Command(name = "stocktracker", mixinStandardHelpOptions = true, version = "stocktracker 0.1.0",
        description = "Stock Tracker real-time: run the stack, measure it, replay its history.")
public final class Launcher implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Launcher());
        cl.addSubcommand("up", new UpCommand(env, System.out));
        cl.addSubcommand("loadgen", new LoadGen().withTargetFactory(edges -> loadgenStack(env, edges)));
        cl.addSubcommand("replay", new ReplayCommand().withBootstrapFallback(() -> runningStackKafka(env)));
        cl.addSubcommand("soak", new SoakCommand(System.out));
        cl.addSubcommand("chaos", new ChaosCommand(System.out));
        cl.addSubcommand("storm", new StormCommand(System.out));
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * The loadgen's own stack: temporary data, free ports, no ingest connector (the loadgen is the feed,
     * and the simulated source would otherwise also quote the loadgen's symbols), and connection limits
     * and the new-connection rate raised because every client comes from 127.0.0.1.
     */
    static Target loadgenStack(Map<String, String> env, int edges) {
        Map<String, String> serviceEnv = new LinkedHashMap<>();
        serviceEnv.put("MAX_CONNECTIONS_PER_IP", "1000000");
        serviceEnv.put("MAX_CONNECTIONS", "1000000");
        serviceEnv.put("ADMISSION_RATE_PER_SECOND", "1000000");
        serviceEnv.put("ADMISSION_BURST", "1000000");
        serviceEnv.putAll(env);
        serviceEnv.put("EDGE_PORT", "0");
        serviceEnv.put("STOCKTRACKER_EDGES", String.valueOf(edges));
        StackOptions options = StackOptions.read(serviceEnv, false, false);
        Stack stack = Stack.start(options);
        List<URI> more = new ArrayList<>();
        for (int i = 1; i < stack.edges().size(); i++) {
            more.add(stack.wsUrl(i));
        }
        return new Target(stack.wsUrl(), stack.metricsUrl(0), stack.bootstrapServers(),
                "the edge" + (edges > 1 ? "s share" : " shares") + " this JVM with Kafka, the streams processor and the loadgen's own clients"
                        + (edges > 1 ? "; metrics are edge 1's, i.e. the whole process" : ""), stack, more);
    }

    /** Kafka of a `stocktracker up` running from this directory, if any. */
    static String runningStackKafka(Map<String, String> env) {
        Path dataDir = Path.of(StackOptions.KEYS.read(env).string("STOCKTRACKER_DATA_DIR"));
        return StackFile.read(dataDir).map(p -> p.getProperty("kafka.bootstrap.servers")).orElse(null);
    }
}
