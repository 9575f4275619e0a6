package io.stocktracker.edge.bridge;

import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.nio.charset.StandardCharsets;

/**
 * Decoding of what arrives on the bridge's inputs (the Redis channels and the quotes.latest records),
 * without I/O: anything unexpected becomes {@link Malformed} with a reason instead of an exception, so a
 * bad publisher can never take the subscriber down.
 */
final class ChannelMessages {
    /**
     * The largest Redis channel message decoded. A price_update is about 400 bytes and a source error under 1 KiB; a
     * quote goes to its subscribers byte for byte as it came, unknown fields included, so a larger one is refused
     * before it is parsed instead of being sent to every subscriber.
     */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    sealed interface Decoded permits Quote, Removed, SourceError, Control, Malformed {}

    record Quote(StockQuote quote) implements Decoded {}

    /** A tombstone on quotes.latest: streams-processor evicted the idle symbol. */
    record Removed(String symbol) implements Decoded {}

    record SourceError(ErrorMessage error) implements Decoded {}

    record Control(ControlMessage message) implements Decoded {}

    record Malformed(String reason) implements Decoded {}

    /** A payload of market-data:updates: a price_update or a source error. */
    static Decoded update(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return tooLarge(payload);
        }
        ServerMessage message;
        try {
            message = JsonCodec.fromBytes(payload, ServerMessage.class);
        } catch (CodecException e) {
            return new Malformed(e.getMessage());
        } catch (RuntimeException e) {
            return new Malformed("undecodable: " + e.getMessage());
        }
        if (message instanceof PriceUpdate update) {
            return quoteOf(update);
        }
        if (message instanceof ErrorMessage error) {
            return error.code() == null ? new Malformed("error without code") : new SourceError(error);
        }
        return new Malformed("unexpected type on the updates channel: " + message.getClass().getSimpleName());
    }

    /** A payload of market-data:control. */
    static Decoded control(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return tooLarge(payload);
        }
        try {
            ControlMessage message = JsonCodec.fromBytes(payload, ControlMessage.class);
            if (!ControlMessage.TYPE.equals(message.type())) {
                return new Malformed("type must be '" + ControlMessage.TYPE + "', got: " + message.type());
            }
            if (message.command() == null) {
                return new Malformed("control without command");
            }
            return new Control(message);
        } catch (RuntimeException e) {
            return new Malformed(e.getMessage());
        }
    }

    /** A quotes.latest record: StockQuote JSON keyed by symbol, or a tombstone (null value) for an evicted symbol. */
    static Decoded record(byte[] key, byte[] value) {
        if (value == null) {
            String symbol = key == null ? "" : new String(key, StandardCharsets.UTF_8);
            return symbol.isBlank() ? new Malformed("tombstone without key") : new Removed(symbol);
        }
        StockQuote quote;
        try {
            quote = JsonCodec.fromBytes(value, StockQuote.class);
        } catch (RuntimeException e) {
            return new Malformed(e.getMessage());
        }
        if (quote.symbol() == null && key != null) {
            quote = withSymbol(quote, new String(key, StandardCharsets.UTF_8));
        }
        return validQuote(quote);
    }

    private static Malformed tooLarge(byte[] payload) {
        return new Malformed(payload.length + " bytes, over the " + MAX_PAYLOAD_BYTES + " a channel message may have");
    }

    private static Decoded quoteOf(PriceUpdate update) {
        StockQuote quote = update.data();
        if (quote == null) {
            return new Malformed("price_update without data");
        }
        if (quote.symbol() == null && update.symbol() != null) {
            quote = withSymbol(quote, update.symbol());
        } else if (update.symbol() != null && !update.symbol().equals(quote.symbol())) {
            return new Malformed("symbol " + update.symbol() + " disagrees with data.symbol " + quote.symbol());
        }
        return validQuote(quote);
    }

    private static Decoded validQuote(StockQuote quote) {
        if (quote.symbol() == null || quote.symbol().isBlank()) {
            return new Malformed("quote without symbol");
        }
        if (!Double.isFinite(quote.price()) || quote.price() <= 0) {
            return new Malformed("price must be a positive number, got " + quote.price() + " for " + quote.symbol());
        }
        return new Quote(quote);
    }

    private static StockQuote withSymbol(StockQuote q, String symbol) {
        return new StockQuote(symbol, q.price(), q.change(), q.changePercent(), q.volume(), q.high(), q.low(), q.open(),
                q.previousClose(), q.timestamp(), q.source(), q.seq(), q.ingestedAt(), q.processedAt());
    }

    private ChannelMessages() {}
}
