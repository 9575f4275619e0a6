package io.stocktracker.edge.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fanout.ClientQueue.Outcome;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClientQueueTest {
    final AtomicLong clock = new AtomicLong();
    final List<List<PendingQuote>> batches = new ArrayList<>();
    ClientQueue queue = queue(new ClientQueue.Limits(3, 4, 1_000_000_000L, 100));

    ClientQueue queue(ClientQueue.Limits limits) {
        return new ClientQueue(limits, b -> {
            batches.add(b);
            return b.size() == 1 ? b.get(0).frame() : "batch:" + b.stream().map(p -> p.symbol() + "@" + p.quote().seq())
                    .collect(Collectors.joining(","));
        }, clock::get);
    }

    static PendingQuote q(String symbol, long seq) {
        StockQuote quote = new StockQuote(symbol, seq, null, null, null, null, null, null, null, Instant.EPOCH, "t", seq, null, null);
        return new PendingQuote(symbol, quote, symbol + "#" + seq);
    }

    @Test
    void anIdleClientGetsEachUpdateAtOnce() {
        assertThat(queue.offerQuote(q("A", 1)).frame()).isEqualTo("A#1");
        assertThat(queue.completed()).isNull();
        assertThat(queue.offerQuote(q("A", 2)).frame()).isEqualTo("A#2");
        assertThat(queue.inFlight()).isTrue();
    }

    @Test
    void updatesBehindAnInFlightWriteAreConflatedToTheLatestPerSymbolAndLeaveAsOneBatch() {
        queue.offerQuote(q("A", 1));
        assertThat(queue.offerQuote(q("A", 2)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offerQuote(q("B", 5)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offerQuote(q("A", 3)).outcome()).isEqualTo(Outcome.CONFLATED);
        assertThat(queue.conflations()).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.completed()).isEqualTo("batch:A@3,B@5");
        assertThat(queue.completed()).isNull();
        assertThat(queue.inFlight()).isFalse();
    }

    @Test
    void aSinglePendingUpdateLeavesAsItsSharedFrame() {
        queue.offerQuote(q("A", 1));
        queue.offerQuote(q("B", 2));
        assertThat(queue.completed()).isEqualTo("B#2");
    }

    @Test
    void anOlderValueNeverReplacesANewerPendingOne() {
        queue.offerQuote(q("A", 1));
        queue.offerQuote(q("A", 9));
        assertThat(queue.offerQuote(q("A", 4)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.completed()).isEqualTo("A#9");
    }

    @Test
    void controlFramesKeepTheirOrderAndGoBeforePendingQuotes() {
        assertThat(queue.offerControl("ack").frame()).isEqualTo("ack");
        queue.offerQuote(q("A", 1));
        queue.offerControl("snap1");
        queue.offerControl("snap2");
        assertThat(queue.completed()).isEqualTo("snap1");
        assertThat(queue.completed()).isEqualTo("snap2");
        assertThat(queue.completed()).isEqualTo("A#1");
        assertThat(queue.completed()).isNull();
    }

    @Test
    void pendingSymbolsAreCappedAndOverflowMakesTheClientSlow() {
        queue.offerQuote(q("A", 1));
        queue.offerQuote(q("B", 1));
        queue.offerQuote(q("C", 1));
        queue.offerQuote(q("D", 1));
        assertThat(queue.pendingSymbols()).isEqualTo(3);
        assertThat(queue.offerQuote(q("E", 1)).outcome()).isEqualTo(Outcome.SLOW);
        assertThat(queue.size()).isZero();
        assertThat(queue.offerQuote(q("F", 1)).outcome()).isEqualTo(Outcome.CLOSED);
    }

    @Test
    void memoryStaysBoundedUnderAnEndlessFeedWhileAWriteIsStuck() {
        queue = queue(new ClientQueue.Limits(10, 4, Long.MAX_VALUE, Long.MAX_VALUE));
        queue.offerQuote(q("S0", 0));
        for (int i = 1; i <= 100_000; i++) {
            queue.offerQuote(q("S" + (i % 10), i));
        }
        assertThat(queue.pendingSymbols()).isEqualTo(10);
        assertThat(queue.conflations()).isEqualTo(100_000 - 10);
        String batch = (String) queue.completed();
        assertThat(batch).contains("S0@100000", "S9@99999");
    }

    @Test
    void tooManyConflationsWithoutCatchingUpMakesTheClientSlow() {
        queue = queue(new ClientQueue.Limits(10, 4, Long.MAX_VALUE, 5));
        queue.offerQuote(q("A", 0));
        for (int i = 1; i <= 6; i++) {
            queue.offerQuote(q("A", i));
        }
        assertThat(queue.offerQuote(q("A", 7)).outcome()).isEqualTo(Outcome.SLOW);
    }

    @Test
    void catchingUpResetsTheConflationStreak() {
        queue = queue(new ClientQueue.Limits(10, 4, Long.MAX_VALUE, 5));
        for (int round = 0; round < 5; round++) {
            queue.offerQuote(q("A", round * 10L));
            for (int i = 1; i <= 4; i++) {
                assertThat(queue.offerQuote(q("A", round * 10L + i)).outcome()).isNotEqualTo(Outcome.SLOW);
            }
            queue.completed();
            queue.completed();
        }
        assertThat(queue.isSlow()).isFalse();
    }

    @Test
    void aWriteOutstandingPastTheStallLimitMakesTheClientSlow() {
        queue.offerQuote(q("A", 1));
        clock.set(500_000_000L);
        assertThat(queue.checkStall().outcome()).isNotEqualTo(Outcome.SLOW);
        clock.set(1_500_000_000L);
        assertThat(queue.checkStall().outcome()).isEqualTo(Outcome.SLOW);
    }

    @Test
    void controlQueueOverflowMakesTheClientSlow() {
        queue.offerControl("c0");
        for (int i = 1; i <= 4; i++) {
            assertThat(queue.offerControl("c" + i).outcome()).isEqualTo(Outcome.QUEUED);
        }
        assertThat(queue.offerControl("c5").outcome()).isEqualTo(Outcome.SLOW);
    }
}
