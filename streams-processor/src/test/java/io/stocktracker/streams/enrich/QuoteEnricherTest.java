package io.stocktracker.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuoteEnricherTest {
    final QuoteEnricher enricher = new QuoteEnricher(ZoneId.of("America/New_York"));
    final Instant now = Instant.parse("2024-01-12T00:00:00Z");

    static RawQuote q(double price, String time, Long volume) {
        return new RawQuote("AAPL", price, null, null, null, null, volume, null, null, Instant.parse(time), "Simulated", null);
    }

    Decision.Accepted accept(RawQuote q, SymbolState prev) {
        return (Decision.Accepted) enricher.offer("AAPL", q, prev, now);
    }

    @Test
    void barVolumeIsTheIncrementOfTheCumulativeSessionVolume() {
        Decision.Accepted first = accept(q(10, "2024-01-10T15:00:00Z", 1000L), null);
        assertThat(first.volumeDelta()).as("the first quote is the baseline").isZero();
        Decision.Accepted second = accept(q(11, "2024-01-10T15:00:01Z", 1250L), first.next());
        assertThat(second.volumeDelta()).isEqualTo(250);
        Decision.Accepted reset = accept(q(11, "2024-01-10T15:00:02Z", 900L), second.next());
        assertThat(reset.volumeDelta()).as("a provider correction downwards is no trade").isZero();
        Decision.Accepted nextDay = accept(q(12, "2024-01-11T14:31:00Z", 300L), reset.next());
        assertThat(nextDay.volumeDelta()).as("a new session starts from zero").isEqualTo(300);
    }

    @Test
    void stateSurvivesItsJsonRoundTripSoARestoredStoreContinuesTheSequence() {
        Decision.Accepted first = accept(q(10, "2024-01-10T15:00:00Z", 1000L), null);
        SymbolState restored = JsonCodec.fromBytes(JsonCodec.toBytes(first.next()), SymbolState.class);
        assertThat(restored).isEqualTo(first.next());
        assertThat(enricher.offer("AAPL", q(10, "2024-01-10T15:00:00Z", 1000L), restored, now))
                .isInstanceOf(Decision.Dropped.class);
        assertThat(accept(q(10.5, "2024-01-10T15:00:01Z", 1000L), restored).quote().seq()).isEqualTo(first.quote().seq() + 1);
    }

    @Test
    void aStateWrittenBeforeAcceptedAtExistedStillReadsAndIsIdleFromItsSourceTime() {
        SymbolState old = JsonCodec.fromBytes(("{\"seq\":41,\"lastTimestamp\":\"2024-01-10T15:00:00Z\",\"lastFingerprint\":\"x\","
                + "\"tradingDay\":\"2024-01-10\",\"lastPrice\":10.0}").getBytes(java.nio.charset.StandardCharsets.UTF_8), SymbolState.class);
        assertThat(old.acceptedAt()).isNull();
        assertThat(old.lastActive()).isEqualTo(Instant.parse("2024-01-10T15:00:00Z"));
        assertThat(accept(q(10.5, "2024-01-10T15:00:01Z", null), old).quote().seq()).as("an existing state keeps counting").isEqualTo(42L);
    }

    @Test
    void aNewSymbolStartsItsSeqAtTheProcessingTimeFloorSoARecreatedOneIsAboveItsPast() {
        Decision.Accepted first = accept(q(10, "2024-01-10T15:00:00Z", null), null);
        assertThat(first.quote().seq()).isEqualTo(now.toEpochMilli() * 1000);
        assertThat(first.next().acceptedAt()).isEqualTo(now);
        // a thousand quotes a millisecond for a whole second: the old state's seq is still below the floor one second on
        SymbolState busy = first.next();
        long oldSeq = first.quote().seq() + 999_999;
        Instant later = now.plusSeconds(1);
        Decision.Accepted recreated = (Decision.Accepted) enricher.offer("AAPL", q(10, "2024-01-11T15:00:00Z", null), null, later);
        assertThat(recreated.quote().seq()).isGreaterThan(oldSeq).isGreaterThan(busy.seq());
        // JavaScript clients read seq as a double: the floor stays an exact integer for centuries
        assertThat(QuoteEnricher.firstSeq(Instant.parse("2250-01-01T00:00:00Z"))).isLessThan(1L << 53);
    }

    @Test
    void providerChangeIsPassedThroughRoundedWhenThereIsNoPreviousClose() {
        RawQuote raw = new RawQuote("AAPL", 10, null, null, null, null, null, 0.123456, 1.234567, Instant.parse("2024-01-10T15:00:00Z"), "X", null);
        Decision.Accepted a = accept(raw, null);
        assertThat(a.quote().change()).isEqualTo(0.1235);
        assertThat(a.quote().changePercent()).isEqualTo(1.2346);
    }
}
