package io.stocktracker.ingest.source;

import io.stocktracker.ingest.IngestConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the configured sources in INGEST_SOURCES order. */
public final class QuoteSources {

    public static List<QuoteSource> create(IngestConfig config, Clock clock) {
        HttpFetcher http = new HttpFetcher(config.httpConnectTimeout(), config.httpRequestTimeout());
        List<QuoteSource> sources = new ArrayList<>();
        for (String name : config.sources()) {
            sources.add(switch (name) {
                case AlphaVantageParser.SOURCE -> new AlphaVantageSource(config.alphaVantageBaseUrl(), config.alphaVantageApiKey(), http, clock);
                case TwelveDataParser.SOURCE -> new TwelveDataSource(config.twelveDataBaseUrl(), config.twelveDataApiKey(),
                        config.twelveDataBatchSize(), http, clock);
                case SimulatedSource.SOURCE -> new SimulatedSource(config.simulatedSeed(), config.interval(), clock);
                case ReplaySource.SOURCE -> new ReplaySource(
                        config.replayFileOption().map(f -> ReplayFile.load(Path.of(f))).orElseGet(ReplayFile::sample),
                        ReplaySource.parseSpeed(config.replaySpeed()), config.replayLoop(), clock);
                default -> throw new IllegalArgumentException("unknown source " + name);
            });
        }
        return sources;
    }

    /**
     * The always-on symbols: INGEST_SYMBOLS, or, when that is empty and the primary source is a
     * simulator or a replay, the built-in tickers or the replay file's symbols (the quick start).
     */
    public static List<String> pinnedSymbols(IngestConfig config, List<QuoteSource> sources) {
        if (!config.symbols().isEmpty() || sources.isEmpty()) {
            return config.symbols();
        }
        QuoteSource primary = sources.get(0);
        if (primary instanceof SimulatedSource) {
            return DefaultSymbols.first(config.simulatedSymbolCount());
        }
        if (primary instanceof ReplaySource replay) {
            return replay.symbols();
        }
        return List.of();
    }

    private QuoteSources() {}
}
