package io.stocktracker.edge.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.options.SymbolGate.Verdict;
import io.stocktracker.schemas.model.StockQuote;
import org.junit.jupiter.api.Test;

class SymbolGateTest {
    static final long MS = 1_000_000L;

    static PendingQuote q(long seq, double price) {
        return new PendingQuote("A", new StockQuote("A", price, null, null, null, null, null, null, null, null, null, seq, null, null),
                "A#" + seq);
    }

    static SymbolGate gate(Double maxRate, Double minChangePercent) {
        return new SymbolGate(SymbolOptions.resolve(new io.stocktracker.schemas.ws.SubscriptionOptions(maxRate, minChangePercent, null), null));
    }

    @Test
    void maxRateLetsTheFirstTickThroughAndHoldsTheNewestOfTheIntervalForItsTimer() {
        SymbolGate g = gate(2.0, null);
        assertThat(g.offer(q(1, 10), 0)).isEqualTo(Verdict.PASS);
        assertThat(g.offer(q(2, 11), 100 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
        assertThat(g.opensAt()).isEqualTo(500 * MS);
        assertThat(g.offer(q(3, 12), 200 * MS)).isEqualTo(Verdict.HOLD);
        assertThat(g.offer(q(4, 13), 300 * MS)).isEqualTo(Verdict.HOLD);

        PendingQuote released = g.release(500 * MS);
        assertThat(released.quote().seq()).isEqualTo(4);
        assertThat(g.offer(q(5, 14), 600 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
        assertThat(g.opensAt()).isEqualTo(1000 * MS);
    }

    @Test
    void aTickAfterTheIntervalPassesAndTheArmedTimerThenFindsNothing() {
        SymbolGate g = gate(2.0, null);
        g.offer(q(1, 10), 0);
        assertThat(g.offer(q(2, 11), 100 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
        assertThat(g.offer(q(3, 12), 500 * MS)).isEqualTo(Verdict.PASS);
        assertThat(g.release(500 * MS)).isNull();
        assertThat(g.offer(q(4, 13), 600 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
    }

    @Test
    void minChangeComparesWithTheLastPriceLetThroughNotWithTheLastTick() {
        SymbolGate g = gate(null, 1.0);
        assertThat(g.offer(q(1, 100), 0)).isEqualTo(Verdict.PASS);
        assertThat(g.offer(q(2, 100.5), 1)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(3, 100.9), 2)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(4, 101.0), 3)).isEqualTo(Verdict.PASS);
        assertThat(g.offer(q(5, 100.2), 4)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(6, 99.9), 5)).isEqualTo(Verdict.PASS);
    }

    @Test
    void theSnapshotIsWhereMovesAreMeasuredFromAndItOpensAnInterval() {
        SymbolGate g = gate(1.0, 5.0);
        g.snapshot(q(7, 200).quote(), 0);
        assertThat(g.offer(q(7, 300), 10 * MS)).as("same seq as the snapshot").isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(8, 205), 10 * MS)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(9, 210), 20 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
        assertThat(g.opensAt()).isEqualTo(1000 * MS);
    }

    @Test
    void aSmallMoveDropsTheValueHeldForTheTimer() {
        SymbolGate g = gate(1.0, 1.0);
        g.offer(q(1, 100), 0);
        assertThat(g.offer(q(2, 102), 10 * MS)).isEqualTo(Verdict.HOLD_AND_ARM);
        assertThat(g.offer(q(3, 100.5), 20 * MS)).isEqualTo(Verdict.DROP);
        assertThat(g.release(1000 * MS)).as("the client's 100 is within 1 % of the market's 100.5").isNull();
    }

    @Test
    void olderOrRepeatedSeqsAreDropped() {
        SymbolGate g = gate(null, 0.5);
        g.offer(q(5, 100), 0);
        assertThat(g.offer(q(5, 200), 1)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(4, 200), 2)).isEqualTo(Verdict.DROP);
        assertThat(g.offer(q(6, 200), 3)).isEqualTo(Verdict.PASS);
    }

    @Test
    void optionsWithNothingSetResolveToNoneAndSymbolOptionsOverrideTheMessagesOneByOne() {
        var none = new io.stocktracker.schemas.ws.SubscriptionOptions(null, null, null);
        assertThat(SymbolOptions.resolve(none, null)).isNull();
        assertThat(SymbolOptions.resolve(null, none)).isNull();

        SymbolOptions merged = SymbolOptions.resolve(new io.stocktracker.schemas.ws.SubscriptionOptions(4.0, 1.0, null),
                new io.stocktracker.schemas.ws.SubscriptionOptions(null, 2.5, java.util.List.of("volume")));
        assertThat(merged.intervalNanos()).isEqualTo(250 * MS);
        assertThat(merged.minChangePercent()).isEqualTo(2.5);
        assertThat(merged.fields()).isEqualTo(QuoteFields.of(java.util.List.of("volume")));
    }
}
