package io.stocktracker.loadgen.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stocktracker.schemas.codec.JsonCodec;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a server frame with Jackson's streaming parser, keeping only type, symbols, seq, ingestedAt and
 * source: thousands of clients share two cores with the edge, so a full tree per frame is too dear.
 * Field order is not assumed.
 */
public final class FrameParser {
    private static final JsonFactory FACTORY = JsonCodec.mapper().getFactory();

    private FrameParser() {}

    public static Frame parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("frame is not a JSON object");
            }
            String type = null;
            String topSymbol = null;
            boolean snapshot = false;
            String code = null;
            Frame.Entry data = null;
            List<Frame.Entry> updates = null;
            List<String> symbols = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString();
                    case "symbol" -> topSymbol = p.getValueAsString();
                    case "snapshot" -> snapshot = value == JsonToken.VALUE_TRUE;
                    case "code" -> code = p.getValueAsString();
                    case "data" -> data = value == JsonToken.START_OBJECT ? readQuote(p, null) : skip(p);
                    case "updates" -> updates = value == JsonToken.START_ARRAY ? readEntries(p) : skip(p);
                    case "symbols" -> symbols = value == JsonToken.START_ARRAY ? readStrings(p) : skip(p);
                    default -> p.skipChildren();
                }
            }
            List<Frame.Entry> entries;
            if (Frame.PRICE_UPDATE.equals(type) && data != null) {
                entries = List.of(data.symbol() == null && topSymbol != null
                        ? new Frame.Entry(topSymbol, data.seq(), data.ingestedAtMicros(), data.source()) : data);
            } else if (Frame.BATCH_UPDATE.equals(type) && updates != null) {
                entries = updates;
            } else {
                entries = List.of();
            }
            return new Frame(type, entries, snapshot, symbols == null ? List.of() : symbols, code);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON frame: " + e.getMessage(), e);
        }
    }

    private static List<Frame.Entry> readEntries(JsonParser p) throws IOException {
        List<Frame.Entry> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String symbol = null;
            Frame.Entry data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("symbol".equals(field)) {
                    symbol = p.getValueAsString();
                } else if ("data".equals(field) && value == JsonToken.START_OBJECT) {
                    data = readQuote(p, null);
                } else {
                    p.skipChildren();
                }
            }
            if (data != null) {
                out.add(data.symbol() == null ? new Frame.Entry(symbol, data.seq(), data.ingestedAtMicros(), data.source()) : data);
            }
        }
        return out;
    }

    /** Called with the parser on the quote's START_OBJECT; leaves it on the matching END_OBJECT. */
    private static Frame.Entry readQuote(JsonParser p, String symbolDefault) throws IOException {
        String symbol = symbolDefault;
        long seq = -1;
        long ingested = -1;
        String source = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "symbol" -> symbol = p.getValueAsString();
                case "seq" -> seq = value.isNumeric() ? p.getLongValue() : -1;
                case "source" -> source = p.getValueAsString();
                case "ingestedAt" -> ingested = value == JsonToken.VALUE_STRING ? micros(p.getText())
                        : value.isNumeric() ? p.getLongValue() * 1000 : -1;
                default -> p.skipChildren();
            }
        }
        return new Frame.Entry(symbol, seq, ingested, source);
    }

    private static List<String> readStrings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static <T> T skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    static long micros(String iso) {
        try {
            Instant i = Instant.parse(iso);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
