package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.ingest.MutableClock;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.validation.SchemaValidator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedSourceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-10T15:00:00Z"));

    @Test
    void sameSeedGivesTheSamePricesPerSymbolWhateverElseIsAsked() {
        SimulatedSource a = new SimulatedSource(7, Duration.ofSeconds(2), clock);
        SimulatedSource b = new SimulatedSource(7, Duration.ofSeconds(2), clock);

        List<Double> fromA = new ArrayList<>();
        List<Double> fromB = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fromA.add(price(a, "AAPL", List.of("AAPL")));
            fromB.add(price(b, "AAPL", List.of("MSFT", "AAPL", "TSLA")));
        }

        assertThat(fromA).isEqualTo(fromB);
        assertThat(new SimulatedSource(8, Duration.ofSeconds(2), clock).fetch(List.of("AAPL")).get("AAPL"))
                .extracting(r -> ((FetchResult.Fetched) r).quote().price())
                .isNotEqualTo(fromA.get(0));
    }

    @Test
    void eachSymbolHasItsOwnOpeningPrice() {
        double aapl = SimulatedSource.openingPrice(42, "AAPL");
        double msft = SimulatedSource.openingPrice(42, "MSFT");

        assertThat(aapl).isNotEqualTo(msft);
        assertThat(aapl).isBetween(5.0, 800.0);
        assertThat(SimulatedSource.openingPrice(42, "AAPL")).isEqualTo(aapl);
    }

    @Test
    void walkStaysPositiveOnItsTickWithGrowingVolumeAndConsistentFields() {
        SimulatedSource source = new SimulatedSource(42, Duration.ofSeconds(2), clock);
        long lastVolume = -1;
        boolean moved = false;
        double first = SimulatedSource.openingPrice(42, "NVDA");
        for (int i = 0; i < 2_000; i++) {
            clock.advance(Duration.ofSeconds(2));
            RawQuote q = ((FetchResult.Fetched) source.fetch(List.of("NVDA")).get("NVDA")).quote();
            assertThat(q.price()).isPositive();
            assertThat(BigDecimal.valueOf(q.price()).scale()).as("on a 0.01 tick: %s", q.price()).isLessThanOrEqualTo(2);
            assertThat(q.volume()).isGreaterThan(lastVolume);
            assertThat(q.volume() % 100).as("round lots").isZero();
            assertThat(q.high()).isGreaterThanOrEqualTo(q.price());
            assertThat(q.low()).isLessThanOrEqualTo(q.price());
            assertThat(q.change()).isCloseTo(q.price() - q.previousClose(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(q.timestamp()).isEqualTo(clock.instant());
            assertThat(q.source()).isEqualTo("simulated");
            moved |= q.price() != first;
            lastVolume = q.volume();
            if (i == 0) {
                SchemaValidator.shared().requireValid(SchemaValidator.RAW_QUOTE, JsonCodec.toJson(q));
            }
        }
        assertThat(moved).isTrue();
    }

    @Test
    void everyDefaultSymbolMovesAndStartsNearItsReferenceLevel() {
        SimulatedSource source = new SimulatedSource(42, Duration.ofSeconds(2), clock);
        for (String symbol : DefaultSymbols.ALL) {
            double open = SimulatedSource.openingPrice(42, symbol);
            assertThat(open).as(symbol).isBetween(DefaultSymbols.REFERENCE_PRICES.get(symbol) * 0.94,
                    DefaultSymbols.REFERENCE_PRICES.get(symbol) * 1.06);
            boolean moved = false;
            for (int i = 0; i < 100 && !moved; i++) {
                clock.advance(Duration.ofSeconds(2));
                moved = price(source, symbol, List.of(symbol)) != open;
            }
            assertThat(moved).as("%s moves off its opening price within 100 fetches", symbol).isTrue();
        }
    }

    @Test
    void pennyStocksUseAFinerTick() {
        assertThat(SimulatedSource.roundToTick(0.123456)).isEqualTo(0.1235);
        assertThat(SimulatedSource.roundToTick(12.3456)).isEqualTo(12.35);
        assertThat(SimulatedSource.roundToTick(0.00001)).as("never zero").isEqualTo(0.0001);
    }

    @Test
    void defaultSymbolsAreFiftyDistinctValidTickers() {
        assertThat(DefaultSymbols.ALL).hasSize(50).doesNotHaveDuplicates()
                .allMatch(io.stocktracker.schemas.contract.Symbols::isValid);
        assertThat(DefaultSymbols.first(3)).containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(DefaultSymbols.first(500)).hasSize(50);
    }

    private static double price(SimulatedSource source, String symbol, List<String> ask) {
        return ((FetchResult.Fetched) source.fetch(ask).get(symbol)).quote().price();
    }
}
