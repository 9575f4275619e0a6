package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.ingest.IngestConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuoteSourcesTest {

    @Test
    void quickStartStreamsFiftyBuiltInTickersFromTheSimulator() {
        IngestConfig config = IngestConfig.defaults();
        List<QuoteSource> sources = QuoteSources.create(config, Clock.systemUTC());

        assertThat(sources).extracting(QuoteSource::name).containsExactly("simulated");
        assertThat(QuoteSources.pinnedSymbols(config, sources)).hasSize(50).startsWith("AAPL", "MSFT");
    }

    @Test
    void replayWithoutSymbolsStreamsTheFilesSymbols() {
        IngestConfig config = IngestConfig.fromEnv(Map.of("INGEST_SOURCES", "replay", "REPLAY_SPEED", "10x"));
        List<QuoteSource> sources = QuoteSources.create(config, Clock.systemUTC());

        assertThat(QuoteSources.pinnedSymbols(config, sources)).contains("AAPL", "IBM");
    }

    @Test
    void realProvidersFetchOnlyWhatIsAskedForAndChainInOrder() {
        Map<String, String> env = Map.of("INGEST_SOURCES", "twelvedata,alphavantage,simulated",
                "TWELVEDATA_API_KEY", "k", "ALPHAVANTAGE_API_KEY", "k");
        IngestConfig config = IngestConfig.fromEnv(env);
        List<QuoteSource> sources = QuoteSources.create(config, Clock.systemUTC());

        assertThat(sources).extracting(QuoteSource::name).containsExactly("twelvedata", "alphavantage", "simulated");
        assertThat(QuoteSources.pinnedSymbols(config, sources)).isEmpty();
        assertThat(QuoteSources.pinnedSymbols(IngestConfig.fromEnv(with(env, "INGEST_SYMBOLS", "SPY")), sources)).containsExactly("SPY");
    }

    static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(key, value);
        return more;
    }
}
