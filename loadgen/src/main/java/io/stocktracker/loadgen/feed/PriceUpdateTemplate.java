package io.stocktracker.loadgen.feed;

import io.stocktracker.schemas.ws.PriceUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The {@code market-data:updates} payload the edge expects (the seed's {@code price_update}, what the edge's own
 * relay publishes), written by hand because the publisher renders up to 100,000 of them a second. The publish
 * instant goes into {@code ingestedAt} and {@code processedAt}, which the edge passes through to every client,
 * {@code batch_update} entries included: the client's latency is read() minus {@code ingestedAt}.
 * {@code PriceUpdateTemplateTest} checks the bytes decode with the project's codec as that message.
 */
public final class PriceUpdateTemplate {
    private PriceUpdateTemplate() {}

    public static byte[] render(String symbol, long seq, double price, String source, Instant publishedAt) {
        String at = publishedAt.toString();
        StringBuilder b = new StringBuilder(320);
        b.append("{\"type\":\"").append(PriceUpdate.TYPE).append("\",\"symbol\":\"").append(symbol)
                .append("\",\"data\":{\"symbol\":\"").append(symbol)
                .append("\",\"price\":").append(price)
                .append(",\"timestamp\":\"").append(at)
                .append("\",\"source\":\"").append(source)
                .append("\",\"seq\":").append(seq)
                .append(",\"ingestedAt\":\"").append(at)
                .append("\",\"processedAt\":\"").append(at)
                .append("\"},\"source\":\"").append(source)
                .append("\",\"timestamp\":\"").append(at).append("\"}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
