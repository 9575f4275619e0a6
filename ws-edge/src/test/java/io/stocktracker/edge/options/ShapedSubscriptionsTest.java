package io.stocktracker.edge.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShapedSubscriptionsTest {
    static final long MS = 1_000_000L;

    /** Records what would be scheduled; the test runs it when the clock says so. */
    static final class ManualTimers extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();

        ManualTimers() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            tasks.add(command);
            delays.add(unit.toNanos(delay));
            return null;
        }

        void runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    final AtomicLong clock = new AtomicLong();
    final ManualTimers timers = new ManualTimers();
    final List<PendingQuote> released = new ArrayList<>();
    final QuoteProjections projections = new QuoteProjections();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    ShapedSubscriptions create() {
        return new ShapedSubscriptions(WireFormat.JSON, timers, projections, released::add, clock::get);
    }

    static PendingQuote q(String symbol, long seq, double price) {
        StockQuote quote = new StockQuote(symbol, price, 1.0, 0.5, 10L, null, null, null, null, Instant.EPOCH, "Simulated", seq, null, null);
        return new PendingQuote(symbol, quote, symbol + "#" + seq);
    }

    static Subscribe subscribe(List<String> symbols, SubscriptionOptions all, Map<String, SubscriptionOptions> each) {
        return new Subscribe(symbols, null, null, all, each, null);
    }

    @Test
    void aSubscribeWithoutOptionsLeavesTheConnectionWithoutShaping() {
        assertThat(ShapedSubscriptions.apply(null, List.of("A"), new Subscribe(List.of("A")), this::create)).isNull();
        assertThat(ShapedSubscriptions.apply(null, List.of("A"), subscribe(List.of("A"), new SubscriptionOptions(null, null, null), null),
                this::create)).isNull();
    }

    @Test
    void symbolsWithoutOptionsPassUntouchedBesideShapedOnes() {
        ShapedSubscriptions s = ShapedSubscriptions.apply(null, List.of("A", "B"),
                subscribe(List.of("A", "B"), null, Map.of("b", new SubscriptionOptions(1.0, null, null))), this::create);
        PendingQuote a = q("A", 1, 10);
        assertThat(s.admit(a)).isSameAs(a);
        assertThat(s.admit(q("B", 1, 10))).isNotNull();
        assertThat(s.admit(q("B", 2, 10))).isNull();
    }

    @Test
    void theTimerLetsTheNewestHeldQuoteOutWhenTheIntervalOpens() {
        ShapedSubscriptions s = ShapedSubscriptions.apply(null, List.of("A"),
                subscribe(List.of("A"), new SubscriptionOptions(2.0, null, null), null), this::create);
        assertThat(s.admit(q("A", 1, 10)).frame()).isEqualTo("A#1");
        clock.set(100 * MS);
        assertThat(s.admit(q("A", 2, 11))).isNull();
        assertThat(s.admit(q("A", 3, 12))).isNull();
        assertThat(timers.delays).containsExactly(400 * MS);

        clock.set(500 * MS);
        timers.runAll();
        assertThat(released).extracting(p -> p.quote().seq()).containsExactly(3L);
    }

    @Test
    void aHeldQuoteOnAnEdgeThatIsShuttingDownIsDroppedWithoutFailingTheFanOut() {
        ScheduledThreadPoolExecutor stopped = new ScheduledThreadPoolExecutor(1);
        stopped.shutdownNow();
        ShapedSubscriptions s = ShapedSubscriptions.apply(null, List.of("A"),
                subscribe(List.of("A"), new SubscriptionOptions(1.0, null, null), null),
                () -> new ShapedSubscriptions(WireFormat.JSON, stopped, projections, released::add, clock::get));
        s.admit(q("A", 1, 10));
        assertThat(s.admit(q("A", 2, 11))).isNull();
    }

    @Test
    void anUnsubscribeOrNewOptionsDisarmWhatWasHeld() {
        ShapedSubscriptions s = ShapedSubscriptions.apply(null, List.of("A"),
                subscribe(List.of("A"), new SubscriptionOptions(1.0, null, null), null), this::create);
        s.admit(q("A", 1, 10));
        s.admit(q("A", 2, 11));
        assertThat(ShapedSubscriptions.forget(s, List.of("A"))).isNull();
        timers.runAll();
        assertThat(released).isEmpty();

        s = ShapedSubscriptions.apply(null, List.of("A"), subscribe(List.of("A"), new SubscriptionOptions(1.0, null, null), null),
                this::create);
        s.admit(q("A", 3, 10));
        s.admit(q("A", 4, 11));
        assertThat(ShapedSubscriptions.apply(s, List.of("A"), new Subscribe(List.of("A")), this::create))
                .as("subscribing again without options is every tick again").isNull();
        timers.runAll();
        assertThat(released).isEmpty();
    }

    @Test
    void subscribersWithTheSameFieldsShareOneCutDownFramePerUpdate() {
        Subscribe msg = subscribe(List.of("A"), new SubscriptionOptions(null, null, List.of("volume")), null);
        ShapedSubscriptions one = ShapedSubscriptions.apply(null, List.of("A"), msg, this::create);
        ShapedSubscriptions two = ShapedSubscriptions.apply(null, List.of("A"), msg, this::create);
        PendingQuote update = q("A", 7, 10);

        PendingQuote first = one.admit(update);
        assertThat(two.admit(update)).isSameAs(first);
        assertThat((String) first.frame()).contains("\"data\":{\"symbol\":\"A\",\"price\":10.0,\"volume\":10,\"seq\":7}")
                .doesNotContain("changePercent").doesNotContain("Simulated");
    }

    @Test
    void theSnapshotIsCutToTheFieldsAndStartsTheMinimumMove() {
        ShapedSubscriptions s = ShapedSubscriptions.apply(null, List.of("A"),
                subscribe(List.of("A"), new SubscriptionOptions(null, 2.0, List.of("change")), null), this::create);
        StockQuote snap = s.snapshot("A", q("A", 5, 100).quote());
        assertThat(snap.changePercent()).isNull();
        assertThat(snap.change()).isEqualTo(1.0);
        assertThat(s.admit(q("A", 6, 101))).isNull();
        assertThat(s.admit(q("A", 7, 102)).quote().price()).isEqualTo(102);
    }
}
