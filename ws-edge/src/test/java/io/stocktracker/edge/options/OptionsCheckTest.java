package io.stocktracker.edge.options;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsCheckTest {
    static Optional<String> check(String extra) throws Exception {
        JsonNode node = JsonCodec.mapper().readTree("{\"action\":\"subscribe\",\"symbols\":[\"AAPL\",\"msft\"]" + extra + "}");
        return OptionsCheck.problem(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            ",\"options\":null",
            ",\"options\":{}",
            ",\"options\":{\"maxRate\":0.1}",
            ",\"options\":{\"maxRate\":1000,\"minChangePercent\":100,\"fields\":[\"price\"]}",
            ",\"options\":{\"minChangePercent\":0.0001}",
            ",\"options\":{\"fields\":[\"symbol\",\"price\",\"change\",\"changePercent\",\"volume\",\"high\",\"low\",\"open\","
                    + "\"previousClose\",\"timestamp\",\"source\",\"seq\",\"ingestedAt\",\"processedAt\",\"seq\",\"price\"]}",
            ",\"symbolOptions\":{\"MSFT\":{\"maxRate\":2},\"aapl\":{\"fields\":[\"volume\"]}}",
            ",\"symbolOptions\":{\"MSFT\":null}"})
    void acceptsOptionsInRange(String extra) throws Exception {
        assertThat(check(extra)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            ",\"options\":{\"maxRate\":0.09}|'maxRate' in 'options' must be a number of updates per second from 0.1 to 1000",
            ",\"options\":{\"maxRate\":1001}|'maxRate' in 'options'",
            ",\"options\":{\"maxRate\":\"2\"}|'maxRate' in 'options'",
            ",\"options\":{\"maxRate\":1e400}|'maxRate' in 'options'",
            ",\"options\":{\"minChangePercent\":0}|'minChangePercent' in 'options' must be a number above 0 and at most 100",
            ",\"options\":{\"minChangePercent\":-1}|'minChangePercent' in 'options'",
            ",\"options\":{\"minChangePercent\":100.5}|'minChangePercent' in 'options'",
            ",\"options\":{\"fields\":[]}|'fields' in 'options' must be an array of 1 to 16 quote field names",
            ",\"options\":{\"fields\":\"price\"}|'fields' in 'options' must be an array",
            ",\"options\":{\"fields\":[\"price\",\"bid\"]}|Unknown field 'bid' in 'fields' in 'options'; quote fields are symbol, price,",
            ",\"options\":{\"fields\":[\"price\",7]}|Unknown field number in 'fields'",
            ",\"options\":{\"fields\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}|'fields' in 'options' must be an array of 1 to 16",
            ",\"options\":{\"maxrate\":1}|Unknown option 'maxrate' in 'options'; options are maxRate, minChangePercent, fields",
            ",\"options\":[1]|'options' must be an object with maxRate, minChangePercent, fields",
            ",\"symbolOptions\":[]|'symbolOptions' must be an object: symbol -> options",
            ",\"symbolOptions\":{\"TSLA\":{\"maxRate\":1}}|'symbolOptions' names 'TSLA', which is not one of 'symbols'",
            ",\"symbolOptions\":{\"BAD SYMBOL\":{}}|'symbolOptions' names 'BAD SYMBOL', which is not one of 'symbols'",
            ",\"symbolOptions\":{\"msft\":{\"maxRate\":5000}}|'maxRate' in 'symbolOptions.MSFT'",
            ",\"symbolOptions\":{\"MSFT\":{\"depth\":5}}|Unknown option 'depth' in 'symbolOptions.MSFT'"})
    void refusesABadOptionNamingIt(String extra, String problem) throws Exception {
        assertThat(check(extra)).hasValueSatisfying(p -> assertThat(p).contains(problem));
    }

    @ParameterizedTest
    @ValueSource(ints = {101, 5000})
    void refusesTooManySymbolOptionsBeforeLookingAtAny(int n) throws Exception {
        StringBuilder b = new StringBuilder(",\"symbolOptions\":{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"S").append(i).append("\":{}");
        }
        assertThat(check(b.append('}').toString())).hasValue("'symbolOptions' may name at most 100 symbols");
    }
}
