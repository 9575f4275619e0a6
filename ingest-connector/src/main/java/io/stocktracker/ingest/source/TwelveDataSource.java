package io.stocktracker.ingest.source;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** TwelveData {@code /quote}: one request per batch of comma-separated symbols, one credit per symbol. */
public final class TwelveDataSource implements QuoteSource {
    private final String baseUrl;
    private final String apiKey;
    private final HttpFetcher http;
    private final TwelveDataParser parser;
    private final int maxBatchSize;

    public TwelveDataSource(String baseUrl, String apiKey, int maxBatchSize, HttpFetcher http, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.http = http;
        this.maxBatchSize = maxBatchSize;
        this.parser = new TwelveDataParser(clock);
    }

    @Override
    public String name() {
        return TwelveDataParser.SOURCE;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public Map<String, FetchResult> fetch(List<String> symbols) {
        URI uri = URI.create(baseUrl + "/quote?symbol="
                + URLEncoder.encode(String.join(",", symbols), StandardCharsets.UTF_8)
                + "&apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
        HttpFetcher.Outcome outcome = http.get(uri);
        if (!outcome.answered()) {
            Map<String, FetchResult> failed = new java.util.HashMap<>();
            symbols.forEach(s -> failed.put(s, new FetchResult.Failed(outcome.failure())));
            return failed;
        }
        return parser.parse(symbols, outcome.status(), outcome.body());
    }
}
