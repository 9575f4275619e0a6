package io.stocktracker.ingest.universe;

import io.stocktracker.ingest.IngestConfig;
import io.stocktracker.ingest.source.AlphaVantageSource;
import io.stocktracker.ingest.source.DefaultSymbols;
import io.stocktracker.ingest.source.HttpFetcher;
import io.stocktracker.ingest.source.QuoteSource;
import io.stocktracker.ingest.source.ReplaySource;
import io.stocktracker.ingest.source.SimulatedSource;
import io.stocktracker.ingest.source.TwelveDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The listings of a configuration, in priority order: the operator's lists first, then each source's. */
public final class Listings {
    /** Listing name of INGEST_SYMBOLS. */
    public static final String PINNED = "pinned";
    /** Listing name of SYMBOL_ALLOW_LIST. */
    public static final String ALLOW_LIST = "allow-list";

    public static List<Listing> of(IngestConfig config, List<QuoteSource> sources) {
        HttpFetcher http = new HttpFetcher(config.httpConnectTimeout(),
                config.httpRequestTimeout().compareTo(LISTING_TIMEOUT) > 0 ? config.httpRequestTimeout() : LISTING_TIMEOUT,
                HttpFetcher.MAX_LISTING_BYTES);
        List<Listing> listings = new ArrayList<>();
        listings.add(Listing.fixed(PINNED, config.symbols()));
        listings.add(Listing.fixed(ALLOW_LIST, config.symbolAllowList()));
        for (QuoteSource source : sources) {
            if (source instanceof TwelveDataSource) {
                listings.add(new TwelveDataListing(config.twelveDataBaseUrl(), config.twelveDataApiKey(), http));
            } else if (source instanceof AlphaVantageSource) {
                listings.add(new AlphaVantageListing(config.alphaVantageBaseUrl(), config.alphaVantageApiKey(), http));
            } else if (source instanceof SimulatedSource) {
                listings.add(Listing.fixed(SimulatedSource.SOURCE, DefaultSymbols.ALL));
            } else if (source instanceof ReplaySource replay) {
                listings.add(Listing.fixed(ReplaySource.SOURCE, replay.symbols()));
            }
        }
        return listings;
    }

    /** A listing is one large answer (Twelve Data's is several MB): more time than a quote request. */
    private static final Duration LISTING_TIMEOUT = Duration.ofSeconds(60);

    private Listings() {}
}
