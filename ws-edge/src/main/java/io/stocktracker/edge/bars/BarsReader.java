package io.stocktracker.edge.bars;

import io.stocktracker.edge.bridge.BridgeConfig;
import io.stocktracker.kit.kafka.StartPosition;
import io.stocktracker.kit.kafka.TopicFollower;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.Bar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the {@link BarStore} from {@code quotes.bars.1m}: a consumer without a group (every edge needs every symbol's
 * bars) assigns all partitions, seeks each to the first record of the current session (by record timestamp, which
 * streams-processor sets to the bar's last millisecond), reads to the end offsets taken at start (then the store is
 * complete), and keeps following. Each bar stored after that goes to {@code live} (the {@code bar_update} fan-out).
 * When a new session opens the previous one's bars are dropped.
 */
public final class BarsReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BarsReader.class);
    /** The topic may not exist yet (streams-processor creates it): after this the store is complete, and empty. */
    static final Duration MISSING_TOPIC_GRACE = Duration.ofSeconds(10);

    private final String edgeId;
    private final BarSession session;
    private final BarStore store;
    private final Consumer<Bar> live;
    private final Clock clock;
    private final TopicFollower follower;
    private final LongAdder malformed = new LongAdder();
    private final LongAdder refusedSymbols = new LongAdder();
    /** Set on the follower's thread when it seeks; read there only. */
    private Instant sessionStart;
    private volatile boolean complete;

    /**
     * Every symbol's bars are kept (up to the store's cap), not only the universe's: at start the universe may not be
     * read yet, and a bar dropped then would never come back. The route answers only for listed symbols.
     *
     * @param live called on the reader's thread for each bar stored once the store is complete
     */
    public BarsReader(BridgeConfig config, BarSession session, BarStore store, Consumer<Bar> live, Clock clock) {
        this.edgeId = config.edgeId();
        this.session = session;
        this.store = store;
        this.live = live;
        this.clock = clock;
        Properties p = config.consumerProperties("-bars");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.follower = TopicFollower.reading(p, List.of(Topics.QUOTES_BARS_1M), "edge-bars-" + edgeId)
                .missingTopicGrace(MISSING_TOPIC_GRACE)
                .from((consumer, partitions) -> {
                    sessionStart = session.startOf(clock.instant());
                    StartPosition.seekToTime(consumer, partitions, sessionStart);
                })
                .build(new TopicFollower.Listener() {
                    @Override
                    public void record(ConsumerRecord<byte[], byte[]> r) {
                        apply(r.value(), sessionStart);
                    }

                    @Override
                    public void caughtUp(boolean topicsMissing) {
                        complete = true;
                        log.info("edge {}: bars of the session {}: {} symbols", edgeId,
                                topicsMissing ? "(topic missing: none until streams-processor writes it)" : "since " + sessionStart,
                                store.symbols());
                    }

                    @Override
                    public void polled() {
                        dropPreviousSession();
                    }
                });
    }

    public void start() {
        follower.start();
    }

    /** True once the session's bars present when the edge started are all in the store. */
    public boolean complete() {
        return complete;
    }

    /** Records that were not a bar, or not a 1-minute one. */
    public long malformed() {
        return malformed.sum();
    }

    /** Bars refused because the store already holds BARS_MAX_SYMBOLS symbols. */
    public long refusedForSymbolLimit() {
        return refusedSymbols.sum();
    }

    private void dropPreviousSession() {
        Instant now = session.startOf(clock.instant());
        if (now.isAfter(sessionStart)) {
            sessionStart = now;
            store.dropBefore(sessionStart);
            log.info("edge {}: a new session opened at {}; the previous session's bars were dropped", edgeId, now);
        }
    }

    private void apply(byte[] value, Instant sessionStart) {
        Bar bar;
        try {
            bar = value == null ? null : JsonCodec.fromBytes(value, Bar.class);
        } catch (RuntimeException e) {
            bar = null;
        }
        if (bar == null || !Symbols.isValid(bar.symbol())
                || !Duration.between(bar.windowStart(), bar.windowEnd()).equals(BarsPolicy.BAR_LENGTH)) {
            malformed.increment();
            return;
        }
        if (bar.windowStart().isBefore(sessionStart)) {
            return;
        }
        switch (store.put(bar)) {
            case STORED -> {
                if (complete) {
                    live.accept(bar);
                }
            }
            case SYMBOL_LIMIT -> {
                if (refusedSymbols.sum() == 0) {
                    log.warn("edge {}: the bar store holds BARS_MAX_SYMBOLS symbols; bars of {} and other new symbols are not kept",
                            edgeId, bar.symbol());
                }
                refusedSymbols.increment();
            }
            case UNCHANGED -> { }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
