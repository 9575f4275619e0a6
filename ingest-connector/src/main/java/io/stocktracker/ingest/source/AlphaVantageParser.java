package io.stocktracker.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Reads an AlphaVantage {@code GLOBAL_QUOTE} answer. AlphaVantage reports its errors with HTTP 200:
 * {@code {"Note": ...}} and {@code {"Information": ...}} when the quota is spent, {@code {"Error Message": ...}}
 * for a bad call, and {@code {"Global Quote": {}}} for a symbol it does not know.
 */
public final class AlphaVantageParser {
    public static final String SOURCE = "alphavantage";
    private static final ZoneId EXCHANGE_ZONE = ZoneId.of("America/New_York");
    private static final LocalTime CLOSE = LocalTime.of(16, 0);

    private final Clock clock;

    public AlphaVantageParser(Clock clock) {
        this.clock = clock;
    }

    public FetchResult parse(String symbol, int status, String body) {
        if (status == 429) {
            return FetchResult.failed(Reason.RATE_LIMITED, "HTTP 429");
        }
        if (status < 200 || status >= 300) {
            return FetchResult.failed(Reason.HTTP_ERROR, "HTTP " + status);
        }
        JsonNode root;
        try {
            root = JsonCodec.tree(body == null ? "" : body);
        } catch (CodecException e) {
            return FetchResult.failed(Reason.MALFORMED, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return FetchResult.failed(Reason.MALFORMED, "not a JSON object");
        }
        if (root.hasNonNull("Note")) {
            return FetchResult.failed(Reason.RATE_LIMITED, root.get("Note").asText());
        }
        if (root.hasNonNull("Information")) {
            return FetchResult.failed(Reason.RATE_LIMITED, root.get("Information").asText());
        }
        if (root.hasNonNull("Error Message")) {
            return FetchResult.failed(Reason.PROVIDER_ERROR, root.get("Error Message").asText());
        }
        JsonNode quote = root.get("Global Quote");
        if (quote == null || !quote.isObject()) {
            return FetchResult.failed(Reason.MALFORMED, "no \"Global Quote\" object");
        }
        if (quote.isEmpty()) {
            return FetchResult.failed(Reason.UNKNOWN_SYMBOL, "AlphaVantage has no quote for " + symbol);
        }
        Double price = Numbers.decimal(quote, "05. price");
        if (price == null || price <= 0) {
            return FetchResult.failed(Reason.MALFORMED, "\"05. price\" missing or not positive: " + quote.get("05. price"));
        }
        Instant now = clock.instant();
        return FetchResult.of(new RawQuote(
                symbol, // as requested: the name edges subscribed to
                price,
                Numbers.decimal(quote, "02. open"),
                Numbers.decimal(quote, "03. high"),
                Numbers.decimal(quote, "04. low"),
                Numbers.decimal(quote, "08. previous close"),
                Numbers.whole(quote, "06. volume"),
                Numbers.decimal(quote, "09. change"),
                Numbers.decimal(quote, "10. change percent"),
                sourceTime(quote.path("07. latest trading day").asText(""), now),
                SOURCE,
                now));
    }

    /**
     * GLOBAL_QUOTE carries only the trading day. Today's quote is as of now; an older day's quote is its
     * close, so re-fetching a closed market does not look like fresh ticks downstream.
     */
    private Instant sourceTime(String tradingDay, Instant now) {
        try {
            LocalDate day = LocalDate.parse(tradingDay);
            if (day.isBefore(now.atZone(EXCHANGE_ZONE).toLocalDate())) {
                return day.atTime(CLOSE).atZone(EXCHANGE_ZONE).toInstant();
            }
        } catch (DateTimeParseException e) {
            // absent or odd date: the fetch time is the best we know
        }
        return now;
    }
}
