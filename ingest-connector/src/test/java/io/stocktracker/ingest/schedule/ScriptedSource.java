package io.stocktracker.ingest.schedule;

import io.stocktracker.ingest.source.FetchResult;
import io.stocktracker.ingest.source.QuoteSource;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** An in-memory source whose answers a test scripts; it records every call. */
final class ScriptedSource implements QuoteSource {
    final List<List<String>> calls = new ArrayList<>();
    private final String name;
    private final int maxBatch;
    private BiFunction<String, Integer, FetchResult> script;

    ScriptedSource(String name, int maxBatch) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.script = (symbol, call) -> ok(name, symbol);
    }

    static ScriptedSource healthy(String name) {
        return new ScriptedSource(name, Integer.MAX_VALUE);
    }

    /** (symbol, 1-based call number) -> result. */
    ScriptedSource answering(BiFunction<String, Integer, FetchResult> script) {
        this.script = script;
        return this;
    }

    ScriptedSource failingWith(Reason reason) {
        return answering((s, n) -> FetchResult.failed(reason, name + " says " + reason));
    }

    static FetchResult ok(String source, String symbol) {
        return FetchResult.of(new RawQuote(symbol, 100.0, null, null, null, null, null, null, null,
                Instant.parse("2024-01-10T15:00:00Z"), source, Instant.parse("2024-01-10T15:00:00Z")));
    }

    List<String> symbolsAsked() {
        return calls.stream().flatMap(List::stream).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxBatchSize() {
        return maxBatch;
    }

    @Override
    public Map<String, FetchResult> fetch(List<String> symbols) {
        calls.add(List.copyOf(symbols));
        Map<String, FetchResult> out = new HashMap<>();
        symbols.forEach(s -> out.put(s, script.apply(s, calls.size())));
        return out;
    }
}
