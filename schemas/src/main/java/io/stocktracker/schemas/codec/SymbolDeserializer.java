package io.stocktracker.schemas.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.stocktracker.schemas.contract.Symbols;
import java.io.IOException;

/**
 * Accepts only canonical symbols ({@link Symbols#PATTERN_TEXT}) where the server side produced the value
 * (quotes, price updates, Redis messages), so a bad symbol fails decoding with the field named. Client
 * {@code subscribe}/{@code unsubscribe} symbols deliberately do not use it: the edge normalises them and
 * rejects the bad ones one by one.
 */
public final class SymbolDeserializer extends StdScalarDeserializer<String> {
    public SymbolDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
        String symbol = p.getText();
        if (!Symbols.isValid(symbol)) {
            throw InvalidFormatException.from(p, "not a valid symbol '" + symbol + "' (must match " + Symbols.PATTERN_TEXT + ")",
                    symbol, String.class);
        }
        return symbol;
    }
}
