package io.stocktracker.ingest.universe;

import io.stocktracker.ingest.source.AlphaVantageParser;
import io.stocktracker.ingest.source.HttpFetcher;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alpha Vantage {@code function=LISTING_STATUS}: a CSV of the active US listings,
 * {@code symbol,name,exchange,assetType,ipoDate,delistingDate,status}. A quota or key refusal comes back as
 * JSON with status 200, so the header line is what says the answer is a listing.
 */
public final class AlphaVantageListing implements Listing {
    private static final Logger log = LoggerFactory.getLogger(AlphaVantageListing.class);
    private static final String HEADER = "symbol,";

    private final URI uri;
    private final HttpFetcher http;

    public AlphaVantageListing(String baseUrl, String apiKey, HttpFetcher http) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.uri = URI.create(base + "/query?function=LISTING_STATUS&apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
        this.http = http;
    }

    @Override
    public String name() {
        return AlphaVantageParser.SOURCE;
    }

    @Override
    public Optional<Set<String>> fetch() {
        HttpFetcher.Outcome outcome = http.get(uri);
        String body = outcome.body();
        if (!outcome.answered() || outcome.status() != 200 || body == null || !body.stripLeading().startsWith(HEADER)) {
            log.warn("alphavantage LISTING_STATUS not available ({}); the last good listing stays",
                    !outcome.answered() ? outcome.failure() : "HTTP " + outcome.status() + ", not a listing CSV");
            return Optional.empty();
        }
        List<String> symbols = new ArrayList<>();
        boolean header = true;
        for (String line : body.split("\r?\n")) {
            if (header) {
                header = false;
                continue;
            }
            int comma = line.indexOf(',');
            if (comma > 0 && !line.endsWith(",Delisted")) {
                symbols.add(line.substring(0, comma));
            }
        }
        Set<String> listed = Listing.normalize(symbols);
        return listed.isEmpty() ? Optional.empty() : Optional.of(listed);
    }
}
