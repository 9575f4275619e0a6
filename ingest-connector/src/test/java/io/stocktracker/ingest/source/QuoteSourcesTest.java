package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.ingest.IngestConfig;
import java.time.Clock;
import java.util.List;
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
        IngestConfig config = IngestConfig.defaults().toBuilder().sources("replay").set("REPLAY_SPEED", "10x").build();
        List<QuoteSource> sources = QuoteSources.create(config, Clock.systemUTC());

        assertThat(QuoteSources.pinnedSymbols(config, sources)).contains("AAPL", "IBM");
    }

    @Test
    void realProvidersFetchOnlyWhatIsAskedForAndChainInOrder() {
        IngestConfig config = IngestConfig.defaults().toBuilder().sources("twelvedata,alphavantage,simulated")
                .set("TWELVEDATA_API_KEY", "k").set("ALPHAVANTAGE_API_KEY", "k").build();
        List<QuoteSource> sources = QuoteSources.create(config, Clock.systemUTC());

        assertThat(sources).extracting(QuoteSource::name).containsExactly("twelvedata", "alphavantage", "simulated");
        assertThat(QuoteSources.pinnedSymbols(config, sources)).isEmpty();
        assertThat(QuoteSources.pinnedSymbols(config.toBuilder().symbols("SPY").build(), sources)).containsExactly("SPY");
    }
}
