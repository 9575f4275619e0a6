package io.stocktracker.edge.http;

import static io.stocktracker.edge.fuzz.Fuzz.length;
import static io.stocktracker.edge.fuzz.Fuzz.pick;
import static io.stocktracker.edge.fuzz.Fuzz.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fuzz.Fuzz;
import io.stocktracker.edge.fuzz.Fuzz.Property;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/quotes/{symbol}} and {@code ?symbols=}: whatever the path segment or query value (Jetty has already
 * percent-decoded it; 8 KiB is its request-line limit), the answer is valid symbols or a 400 code, never an exception.
 */
class SymbolQueryFuzzTest {
    private static final int URL = 8192;
    private static final int MAX_SYMBOLS = 50;
    private static final String ALPHABET = "AAPLMSFTbrk.b^GSPC-RDS0123456789, %\t\u00a0\u00df\u0130\u017f";

    private static final Property<String> PATH = new Property<>("rest-path-symbol", SymbolQueryFuzzTest::segment,
            String::length, Fuzz.linear(64, 16 * 1024), raw -> {
                SymbolQuery q = SymbolQuery.ofPath(raw);
                if (q.error() == null) {
                    assertThat(q.symbols()).singleElement().matches(Symbols::isValid);
                } else {
                    assertThat(q.error()).isEqualTo(ErrorCode.INVALID_SYMBOL);
                    assertThat(q.symbols()).isEmpty();
                }
            });

    @Test
    void anyPathSegmentIsASymbolOrInvalidSymbol() {
        Fuzz.check(PATH);
    }

    /**
     * Found by the run above: upper-casing grows the result array by one copy per character that expands ('ß' ->
     * "SS"), so 1,300 of them in one path (8 KiB of %C3%9F) cost megabytes; symbols are now length-checked first.
     */
    @Test
    void aLongRunOfExpandingCharactersIsRefusedBeforeUpperCasing() {
        Fuzz.example(PATH, "\u00df".repeat(1365));
        Fuzz.example(LIST, ("\u00df".repeat(25) + ",").repeat(50));
    }

    @Test
    void anySymbolsParameterIsSymbolsOrA400Code() {
        Fuzz.check(LIST);
    }

    private static final Property<String> LIST = new Property<>("rest-query-symbols", SymbolQueryFuzzTest::list,
            s -> s == null ? 0 : s.length(), Fuzz.linear(64, 16 * 1024), raw -> {
                    SymbolQuery q = SymbolQuery.ofList(raw, MAX_SYMBOLS);
                    if (q.error() == null) {
                        assertThat(q.symbols()).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_SYMBOLS).allMatch(Symbols::isValid)
                                .doesNotHaveDuplicates();
                    } else {
                        assertThat(q.error()).isIn(Set.of(ErrorCode.INVALID_MESSAGE, ErrorCode.INVALID_SYMBOL,
                                ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED));
                        assertThat(q.message()).hasSizeLessThan(200);
                    }
                });

    private static String segment(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> pick(r, "AAPL", "brk.b", " ^GSPC ", "RELIANCE.NS", "A".repeat(20), "A".repeat(21), "..", "%00", "\u0130");
            default -> text(r, ALPHABET, length(r, 24, URL));
        };
    }

    private static String list(SplittableRandom r) {
        if (r.nextInt(50) == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(10) == 0 ? r.nextInt(2000) : r.nextInt(8);
        for (int i = 0; i < n && b.length() < URL; i++) {
            if (i > 0) {
                b.append(pick(r, ",", ",", ",,", " , "));
            }
            b.append(r.nextInt(6) == 0 ? text(r, ALPHABET, 30) : "S" + r.nextInt(r.nextInt(10) == 0 ? 100_000 : 60));
        }
        return b.length() > URL ? b.substring(0, URL) : b.toString();
    }
}
