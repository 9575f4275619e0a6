package io.stocktracker.ingest.source;

import io.stocktracker.ingest.source.SourceFailure.Reason;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AlphaVantage {@code GLOBAL_QUOTE}: one request per symbol. */
public final class AlphaVantageSource implements QuoteSource {
    private static final Logger log = LoggerFactory.getLogger(AlphaVantageSource.class);

    private final String baseUrl;
    private final String apiKey;
    private final HttpFetcher http;
    private final AlphaVantageParser parser;

    public AlphaVantageSource(String baseUrl, String apiKey, HttpFetcher http, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.http = http;
        this.parser = new AlphaVantageParser(clock);
    }

    @Override
    public String name() {
        return AlphaVantageParser.SOURCE;
    }

    @Override
    public Map<String, FetchResult> fetch(List<String> symbols) {
        Map<String, FetchResult> results = new HashMap<>();
        FetchResult quotaSpent = null;
        for (String symbol : symbols) {
            if (quotaSpent != null) {
                // once the provider says the quota is spent, asking again only burns goodwill
                results.put(symbol, quotaSpent);
                continue;
            }
            URI uri = URI.create(baseUrl + "/query?function=GLOBAL_QUOTE&symbol="
                    + URLEncoder.encode(symbol, StandardCharsets.UTF_8) + "&apikey="
                    + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
            HttpFetcher.Outcome outcome = http.get(uri);
            FetchResult result = outcome.answered()
                    ? parser.parse(symbol, outcome.status(), outcome.body())
                    : new FetchResult.Failed(outcome.failure());
            if (result instanceof FetchResult.Failed f) {
                log.debug("alphavantage {} failed: {} ({})", symbol, f.failure().reason(), f.failure().detail());
                if (f.failure().reason() == Reason.RATE_LIMITED) {
                    quotaSpent = result;
                }
            }
            results.put(symbol, result);
        }
        return results;
    }
}
