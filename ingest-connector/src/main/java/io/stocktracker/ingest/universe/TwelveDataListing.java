package io.stocktracker.ingest.universe;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.ingest.source.HttpFetcher;
import io.stocktracker.ingest.source.TwelveDataParser;
import io.stocktracker.schemas.codec.JsonCodec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Twelve Data {@code /stocks}: every stock it quotes, as {@code {"data":[{"symbol":...},...],"status":"ok"}}. */
public final class TwelveDataListing implements Listing {
    private static final Logger log = LoggerFactory.getLogger(TwelveDataListing.class);

    private final URI uri;
    private final HttpFetcher http;

    public TwelveDataListing(String baseUrl, String apiKey, HttpFetcher http) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.uri = URI.create(base + "/stocks?apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8));
        this.http = http;
    }

    @Override
    public String name() {
        return TwelveDataParser.SOURCE;
    }

    @Override
    public Optional<Set<String>> fetch() {
        HttpFetcher.Outcome outcome = http.get(uri);
        if (!outcome.answered() || outcome.status() != 200 || outcome.body() == null) {
            log.warn("twelvedata /stocks listing not available ({}); the last good listing stays",
                    outcome.answered() ? "HTTP " + outcome.status() : outcome.failure());
            return Optional.empty();
        }
        try {
            JsonNode data = JsonCodec.tree(outcome.body()).path("data");
            List<String> symbols = new ArrayList<>();
            data.forEach(row -> {
                if (row.path("symbol").isTextual()) {
                    symbols.add(row.path("symbol").asText());
                }
            });
            Set<String> listed = Listing.normalize(symbols);
            if (listed.isEmpty()) {
                log.warn("twelvedata /stocks listed no symbol (an error answer?); the last good listing stays");
                return Optional.empty();
            }
            return Optional.of(listed);
        } catch (RuntimeException e) {
            log.warn("twelvedata /stocks answer not understood ({}); the last good listing stays", e.toString());
            return Optional.empty();
        }
    }
}
