package io.stocktracker.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a TwelveData {@code /quote} answer. A one-symbol request returns the quote object itself; a
 * batch returns an object keyed by symbol whose values are quotes or per-symbol error objects. Errors
 * look like {@code {"status":"error","code":429|400|401,"message":...}}, sometimes with HTTP 200.
 */
public final class TwelveDataParser {
    public static final String SOURCE = "twelvedata";

    private final Clock clock;

    public TwelveDataParser(Clock clock) {
        this.clock = clock;
    }

    public Map<String, FetchResult> parse(List<String> symbols, int status, String body) {
        JsonNode root = null;
        try {
            root = body == null || body.isBlank() ? null : JsonCodec.tree(body);
        } catch (CodecException e) {
            if (status >= 200 && status < 300) {
                return all(symbols, FetchResult.failed(Reason.MALFORMED, "not JSON: " + e.getMessage()));
            }
        }
        if (root != null && isError(root)) {
            return all(symbols, error(root));
        }
        if (status == 429) {
            return all(symbols, FetchResult.failed(Reason.RATE_LIMITED, "HTTP 429"));
        }
        if (status < 200 || status >= 300) {
            return all(symbols, FetchResult.failed(Reason.HTTP_ERROR, "HTTP " + status));
        }
        if (root == null || !root.isObject()) {
            return all(symbols, FetchResult.failed(Reason.MALFORMED, "not a JSON object"));
        }
        Map<String, FetchResult> results = new HashMap<>();
        Instant now = clock.instant();
        boolean single = root.path("symbol").isTextual();
        for (String symbol : symbols) {
            JsonNode node = single
                    ? (symbols.size() == 1 || symbol.equalsIgnoreCase(root.get("symbol").asText()) ? root : null)
                    : root.get(symbol);
            results.put(symbol, quote(symbol, node, now));
        }
        return results;
    }

    private FetchResult quote(String symbol, JsonNode node, Instant now) {
        if (node == null || !node.isObject()) {
            return FetchResult.failed(Reason.MALFORMED, "no entry for " + symbol + " in the batch answer");
        }
        if (isError(node)) {
            return error(node);
        }
        Double price = Numbers.decimal(node, "close");
        if (price == null || price <= 0) {
            return FetchResult.failed(Reason.MALFORMED, "\"close\" missing or not positive: " + node.get("close"));
        }
        Long epochSeconds = Numbers.whole(node, "timestamp");
        Instant sourceTime = epochSeconds == null || epochSeconds == 0 ? now : Instant.ofEpochSecond(epochSeconds);
        JsonNode open = node.get("is_market_open");
        Boolean marketOpen = open != null && open.isBoolean() ? open.booleanValue() : null;
        // keyed by the symbol as requested: that is the name edges subscribed to
        return FetchResult.of(new RawQuote(
                symbol,
                price,
                Numbers.decimal(node, "open"),
                Numbers.decimal(node, "high"),
                Numbers.decimal(node, "low"),
                Numbers.decimal(node, "previous_close"),
                Numbers.whole(node, "volume"),
                Numbers.decimal(node, "change"),
                Numbers.decimal(node, "percent_change"),
                sourceTime,
                SOURCE,
                now), marketOpen);
    }

    private static boolean isError(JsonNode node) {
        return "error".equalsIgnoreCase(node.path("status").asText(""));
    }

    private static FetchResult error(JsonNode node) {
        int code = node.path("code").asInt(0);
        String message = node.path("message").asText("error " + code);
        Reason reason = switch (code) {
            case 429 -> Reason.RATE_LIMITED;
            case 400, 404 -> message.toLowerCase(Locale.ROOT).contains("not found") ? Reason.UNKNOWN_SYMBOL : Reason.PROVIDER_ERROR;
            default -> code >= 500 ? Reason.HTTP_ERROR : Reason.PROVIDER_ERROR;
        };
        return FetchResult.failed(reason, "TwelveData " + code + ": " + message);
    }

    private static Map<String, FetchResult> all(List<String> symbols, FetchResult result) {
        Map<String, FetchResult> results = new HashMap<>();
        symbols.forEach(s -> results.put(s, result));
        return results;
    }
}
