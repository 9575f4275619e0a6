package io.stocktracker.streams.topology;

import io.stocktracker.schemas.model.Bar;
import io.stocktracker.streams.bars.BarClock;
import io.stocktracker.streams.bars.BarInput;
import io.stocktracker.streams.bars.OpenBars;
import io.stocktracker.streams.metrics.QuoteMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One-minute OHLCV bars by source time, each published exactly once when its window closes.
 *
 * <p>A window closes when the partition's stream time (latest source time seen) passes its end plus
 * the grace period, the same rule as a DSL windowed aggregation with {@code suppress(untilWindowCloses)}.
 * Unlike that, once the partition has received nothing for longer than the grace period, its stream
 * time follows the wall clock from the last quote on, so the last bar before a quiet period (market
 * close, a stalled source) is published about one grace period after its minute ends instead of with
 * the next day's first quote. (While quotes keep coming, only their source times move the clock, so a
 * replay slower than real time is not cut short.) A quote for a window that
 * has already closed is a tick like any other but is left out of the bars and counted as late.
 */
final class BarProcessor implements Processor<String, QuoteOutcome.Accepted, String, Bar> {
    static final String CLOCK_KEY = "clock";
    static final Duration TICK = Duration.ofSeconds(1);

    private final String barsStoreName;
    private final String clockStoreName;
    private final long windowMs;
    private final long graceMs;
    private final QuoteMetrics metrics;

    private ProcessorContext<String, Bar> context;
    private KeyValueStore<String, OpenBars> bars;
    private KeyValueStore<String, BarClock> clockStore;
    private BarClock clock;
    /** window end -> symbols with an open bar ending then: which store entries a close must visit. */
    private final TreeMap<Long, Set<String>> openByEnd = new TreeMap<>();
    private long lastRecordWallMs;
    private long streamTimeAtLastRecord;

    BarProcessor(String barsStoreName, String clockStoreName, Duration window, Duration grace, QuoteMetrics metrics) {
        this.barsStoreName = barsStoreName;
        this.clockStoreName = clockStoreName;
        this.windowMs = window.toMillis();
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Bar> context) {
        this.context = context;
        this.bars = context.getStateStore(barsStoreName);
        this.clockStore = context.getStateStore(clockStoreName);
        BarClock stored = clockStore.get(CLOCK_KEY);
        this.clock = stored == null ? BarClock.START : stored;
        try (KeyValueIterator<String, OpenBars> all = bars.all()) {
            while (all.hasNext()) {
                KeyValue<String, OpenBars> e = all.next();
                e.value.bars().forEach(b -> openByEnd.computeIfAbsent(b.windowStartMs() + windowMs, k -> new HashSet<>()).add(e.key));
            }
        }
        this.lastRecordWallMs = context.currentSystemTimeMs();
        this.streamTimeAtLastRecord = clock.streamTimeMs();
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    }

    @Override
    public void process(Record<String, QuoteOutcome.Accepted> record) {
        lastRecordWallMs = context.currentSystemTimeMs();
        long ts = record.value().quote().timestamp().toEpochMilli();
        long windowStart = ts - Math.floorMod(ts, windowMs);
        long windowEnd = windowStart + windowMs;
        long streamTime = Math.max(clock.streamTimeMs(), ts);
        streamTimeAtLastRecord = streamTime;
        if (windowEnd <= clock.closedThroughMs() || windowEnd + graceMs <= streamTime) {
            metrics.barLate();
            advance(streamTime);
            return;
        }
        String symbol = record.key();
        OpenBars open = bars.get(symbol);
        bars.put(symbol, (open == null ? OpenBars.none() : open)
                .add(windowStart, new BarInput(record.value().quote().price(), record.value().volumeDelta(), ts)));
        openByEnd.computeIfAbsent(windowEnd, k -> new HashSet<>()).add(symbol);
        advance(streamTime);
    }

    /** After more than a grace period without any quote, let stream time follow the wall clock from the last quote on. */
    private void onWallClock(long wallMs) {
        if (openByEnd.isEmpty() || clock.streamTimeMs() == Long.MIN_VALUE) {
            return;
        }
        long idle = wallMs - lastRecordWallMs;
        if (idle > Math.max(graceMs, TICK.toMillis())) {
            advance(Math.max(clock.streamTimeMs(), streamTimeAtLastRecord + idle));
        }
    }

    private void advance(long streamTime) {
        long closeThrough = Math.max(clock.closedThroughMs(), streamTime - graceMs);
        // only which windows are closed must survive a restart, so write the clock (a changelog record)
        // when that changes, not on every quote; an older stream time after a restart only delays lateness
        boolean windowsClosed = clock.closedThroughMs() == Long.MIN_VALUE
                || Math.floorDiv(closeThrough, windowMs) != Math.floorDiv(clock.closedThroughMs(), windowMs);
        clock = new BarClock(streamTime, closeThrough);
        if (windowsClosed) {
            clockStore.put(CLOCK_KEY, clock);
        }
        while (!openByEnd.isEmpty() && openByEnd.firstKey() <= closeThrough) {
            Map.Entry<Long, Set<String>> due = openByEnd.pollFirstEntry();
            for (String symbol : due.getValue()) {
                publishClosed(symbol, due.getKey());
            }
        }
    }

    private void publishClosed(String symbol, long windowEnd) {
        OpenBars open = bars.get(symbol);
        if (open == null) {
            return;
        }
        java.util.List<OpenBars.OpenBar> remaining = new java.util.ArrayList<>();
        for (OpenBars.OpenBar b : open.bars()) {
            long end = b.windowStartMs() + windowMs;
            if (end == windowEnd) {
                Bar bar = b.bar().toBar(symbol, Instant.ofEpochMilli(b.windowStartMs()), Instant.ofEpochMilli(end));
                context.forward(new Record<>(symbol, bar, end - 1));
                metrics.barEmitted();
            } else {
                remaining.add(b);
            }
        }
        if (remaining.isEmpty()) {
            bars.delete(symbol);
        } else {
            bars.put(symbol, new OpenBars(java.util.List.copyOf(remaining)));
        }
    }
}
