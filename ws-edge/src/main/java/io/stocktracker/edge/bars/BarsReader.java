package io.stocktracker.edge.bars;

import io.stocktracker.edge.bridge.BridgeConfig;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.Bar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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

    private final BridgeConfig config;
    private final BarSession session;
    private final BarStore store;
    private final Consumer<Bar> live;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LongAdder malformed = new LongAdder();
    private final LongAdder refusedSymbols = new LongAdder();
    private volatile boolean complete;

    /**
     * Every symbol's bars are kept (up to the store's cap), not only the universe's: at start the universe may not be
     * read yet, and a bar dropped then would never come back. The route answers only for listed symbols.
     *
     * @param live called on the reader's thread for each bar stored once the store is complete
     */
    public BarsReader(BridgeConfig config, BarSession session, BarStore store, Consumer<Bar> live, Clock clock) {
        this.config = config;
        this.session = session;
        this.store = store;
        this.live = live;
        this.clock = clock;
        Properties p = config.consumerProperties("-bars");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "edge-bars-" + config.edgeId());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
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

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            Instant sessionStart = session.startOf(clock.instant());
            seekTo(partitions, sessionStart);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long records = 0;
            while (!stopping()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    apply(r.value(), sessionStart);
                }
                if (!complete && reached(end)) {
                    complete = true;
                    log.info("edge {}: bars of the session since {} loaded: {} records, {} symbols", config.edgeId(), sessionStart,
                            records, store.symbols());
                }
                Instant now = session.startOf(clock.instant());
                if (now.isAfter(sessionStart)) {
                    sessionStart = now;
                    store.dropBefore(sessionStart);
                    log.info("edge {}: a new session opened at {}; the previous session's bars were dropped", config.edgeId(), now);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("edge {}: bars reader stopped; /api/bars answers from what it holds", config.edgeId(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
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
                            config.edgeId(), bar.symbol());
                }
                refusedSymbols.increment();
            }
            case UNCHANGED -> { }
        }
    }

    /** Each partition at its first record stamped at or after {@code start}; at its end when it has none. */
    private void seekTo(List<TopicPartition> partitions, Instant start) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, start.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            consumer.seek(tp, at == null ? end.get(tp) : at.offset());
        }
    }

    private List<TopicPartition> awaitPartitions() {
        long since = System.nanoTime();
        while (!stopping()) {
            try {
                List<PartitionInfo> info = consumer.partitionsFor(Topics.QUOTES_BARS_1M, Duration.ofSeconds(10));
                if (info != null && !info.isEmpty()) {
                    return info.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                since = System.nanoTime(); // broker unreachable: nothing is known yet
            }
            if (!complete && System.nanoTime() - since >= MISSING_TOPIC_GRACE.toNanos()) {
                log.warn("edge {}: topic {} missing (streams-processor writes it): no bars until it exists", config.edgeId(),
                        Topics.QUOTES_BARS_1M);
                complete = true;
            }
            pause(Duration.ofMillis(500));
        }
        return List.of();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private boolean stopping() {
        return stopped.getCount() == 0;
    }

    private void pause(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO);
            return;
        }
        stopped.countDown();
        consumer.wakeup(); // not an interrupt: the consumer's own close must still be able to talk to the broker
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
