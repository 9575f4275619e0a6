package io.stocktracker.launcher.replay;

import io.stocktracker.schemas.contract.Symbols;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stocktracker replay}: the analytics export of a time range of quotes. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exports a time range of quotes.raw or quotes.ticks as JSONL or CSV.",
                "Start offsets come from the broker's time index (offsetsForTimes): nothing before --from is read.",
                "Times: 2026-01-10T10:30:00Z, 2026-01-10 (midnight UTC), epoch millis, now, -15m, -2h, -7d."})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--topic", defaultValue = "raw", description = "raw (quotes.raw) or ticks (quotes.ticks); default ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--from", required = true, description = "first record time (inclusive)")
    String from;

    @Option(names = "--to", description = "end time (exclusive); default: the end of the topic when the replay starts")
    String to;

    @Option(names = "--symbols", split = ",", description = "only these symbols, e.g. AAPL,MSFT")
    List<String> symbols;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv; default ${DEFAULT-VALUE}")
    String format;

    @Option(names = {"-o", "--output"}, description = "file to write; default stdout")
    Path output;

    @Option(names = "--bootstrap", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers; default $KAFKA_BOOTSTRAP_SERVERS, else the broker of a running"
                    + " `stocktracker up`, else localhost:9092")
    String bootstrap;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private Supplier<String> bootstrapFallback = () -> null;

    /** Where to look for a broker when neither --bootstrap nor KAFKA_BOOTSTRAP_SERVERS names one. */
    public ReplayCommand withBootstrapFallback(Supplier<String> fallback) {
        this.bootstrapFallback = fallback;
        return this;
    }

    public ReplayCommand withOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Set<String> wanted = new LinkedHashSet<>();
        if (symbols != null) {
            for (String s : symbols) {
                wanted.add(Symbols.normalize(s).orElseThrow(() -> new IllegalArgumentException("not a valid symbol: '" + s + "'")));
            }
        }
        String servers = bootstrap;
        if (servers == null || servers.isBlank()) {
            servers = bootstrapFallback.get();
        }
        if (servers == null || servers.isBlank()) {
            servers = "localhost:9092";
        }
        Replay.Options options = new Replay.Options(servers, ReplayTopic.parse(topic), TimeSpec.parse(from, now),
                to == null ? null : TimeSpec.parse(to, now), wanted, ReplayFormat.parse(format));
        Replay.Result result;
        if (output != null) {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(output))) {
                result = Replay.run(options, file, noProgress ? null : err);
            }
        } else {
            result = Replay.run(options, out, noProgress ? null : err);
            out.flush();
        }
        err.printf("replayed %s from %s to %s: %d records in range, %d written, %d filtered out, %d undecodable%s%n",
                options.topic().topic(), options.from(), options.to() == null ? "the end" : options.to(), result.read(),
                result.written(), result.filtered(), result.invalid(), output == null ? "" : " -> " + output);
        return 0;
    }
}
