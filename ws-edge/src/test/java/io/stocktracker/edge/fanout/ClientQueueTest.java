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

    static PendingQuote snapshot(String symbol, long seq) {
        StockQuote quote = new StockQuote(symbol, seq, null, null, null, null, null, null, null, Instant.EPOCH, "t", seq, null, null);
        return new PendingQuote(symbol, quote, "snap:" + symbol + "#" + seq);
    }

    /** Every frame the client gets from here on, completing each write, until the queue is idle. */
    List<Object> drain() {
        List<Object> out = new ArrayList<>();
        for (Object next = queue.completed(); next != null; next = queue.completed()) {
            out.add(next);
        }
        return out;
    }

    @Test
    void aSeqAlreadySentIsNeverSentAgainWhetherTheConnectionIsIdleOrBusy() {
        assertThat(queue.offerQuote(q("A", 4)).outcome()).isEqualTo(Outcome.SEND);
        assertThat(queue.offerQuote(q("A", 4)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.offerQuote(q("A", 3)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(drain()).isEmpty();
        assertThat(queue.offerQuote(q("A", 4)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.inFlight()).isFalse();
    }

    @Test
    void aSnapshotAndALiveQuoteOfTheSameSeqLeaveOnceInWhicheverOrderTheyArrive() {
        queue.offerControl("ack");
        assertThat(queue.offerQuote(q("A", 7)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offerQuote(q("B", 1)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(queue.offerSnapshot(snapshot("A", 7)).outcome()).isEqualTo(Outcome.QUEUED);
        // the snapshot leaves first (control before pending); the batch then carries only B
        assertThat(drain()).containsExactly("snap:A#7", "B#1");

        assertThat(queue.offerSnapshot(snapshot("C", 2)).frame()).isEqualTo("snap:C#2");
        assertThat(queue.offerQuote(q("C", 2)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(drain()).isEmpty();
    }

    @Test
    void aQueuedSnapshotOlderThanALiveQuoteSentMeanwhileIsDropped() {
        assertThat(queue.offerQuote(q("A", 8)).frame()).isEqualTo("A#8");
        assertThat(queue.offerSnapshot(snapshot("A", 7)).outcome()).isEqualTo(Outcome.QUEUED);
        queue.offerControl("pong");
        assertThat(drain()).containsExactly("pong");
        assertThat(queue.offerSnapshot(snapshot("A", 8)).outcome()).isEqualTo(Outcome.STALE);
    }

    @Test
    void conflationNeverLetsAnOlderSeqOutAfterANewerOne() {
        queue.offerControl("ack");
        queue.offerSnapshot(snapshot("A", 5));
        queue.offerQuote(q("A", 6));
        queue.offerQuote(q("A", 9));
        assertThat(queue.offerQuote(q("A", 8)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(drain()).containsExactly("snap:A#5", "A#9");
        assertThat(queue.offerQuote(q("A", 8)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.offerSnapshot(snapshot("A", 9)).outcome()).isEqualTo(Outcome.STALE);
    }

    @Test
    void whatTheClientSaysItHoldsIsNotSentAndTheMarkNeverGoesDown() {
        queue.holds("A", 41);
        assertThat(queue.offerSnapshot(snapshot("A", 41)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.offerQuote(q("A", 41)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.offerQuote(q("A", 42)).frame()).isEqualTo("A#42");
        queue.holds("A", 30);
        assertThat(queue.offerQuote(q("A", 42)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(queue.alreadySent("A", 42L)).isTrue();
        assertThat(queue.alreadySent("A", 43L)).isFalse();
    }

    @Test
    void forgettingASymbolDropsItsPendingQuoteAndItsMark() {
        queue.offerQuote(q("A", 1));
        queue.offerQuote(q("A", 2));
        queue.offerQuote(q("B", 2));
        queue.forget(List.of("A"));
        assertThat(queue.pendingSymbols()).isEqualTo(1);
        assertThat(drain()).containsExactly("B#2");
        assertThat(queue.offerSnapshot(snapshot("A", 1)).frame()).isEqualTo("snap:A#1");
    }

    @Test
    void quotesWithoutSeqAreNeverHeldBack() {
        StockQuote noSeq = new StockQuote("A", 1.0, null, null, null, null, null, null, null, Instant.EPOCH, "t", null, null, null);
        assertThat(queue.offerQuote(new PendingQuote("A", noSeq, "A#-")).outcome()).isEqualTo(Outcome.SEND);
        drain();
        assertThat(queue.offerQuote(new PendingQuote("A", noSeq, "A#-")).outcome()).isEqualTo(Outcome.SEND);
    }

    /**
     * What docs/PROTOCOL.md promises a client that keeps up: a quote arriving while nothing is being written to it
     * leaves at once; quotes of one symbol arriving while a frame is being written (a burst: catch-up after a
     * take-over or a Redis gap) are conflated to the latest, so the client sees the first and the latest.
     */
    @Test
    void aBurstBehindTheWriteInFlightReachesEvenAFastClientAsItsFirstAndLatestValue() {
        List<Object> seen = new ArrayList<>();
        for (long seq = 1; seq <= 3; seq++) {
            seen.add(queue.offerQuote(q("A", seq)).frame());
            seen.addAll(drain());
        }
        assertThat(seen).containsExactly("A#1", "A#2", "A#3");

        seen.add(queue.offerQuote(q("A", 4)).frame());
        for (long seq = 5; seq <= 9; seq++) {
            queue.offerQuote(q("A", seq));
        }
        seen.addAll(drain());
        assertThat(seen).containsExactly("A#1", "A#2", "A#3", "A#4", "A#9");
    }
}
