package io.stocktracker.streams.topology;

import io.stocktracker.streams.bars.BarInput;
import io.stocktracker.streams.metrics.QuoteMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Puts each accepted quote on the bar timeline (record timestamp = source time, so windows follow
 * market time, not arrival time) and counts, then drops, the quotes whose window has already closed:
 * the same rule the windowed aggregation applies (window end + grace <= stream time), made visible.
 */
final class BarWindowFilter implements FixedKeyProcessor<String, QuoteOutcome.Accepted, BarInput> {
    private final long windowMs;
    private final long graceMs;
    private final QuoteMetrics metrics;
    private FixedKeyProcessorContext<String, BarInput> context;
    private long streamTime = Long.MIN_VALUE;

    BarWindowFilter(long windowMs, long graceMs, QuoteMetrics metrics) {
        this.windowMs = windowMs;
        this.graceMs = graceMs;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, BarInput> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, QuoteOutcome.Accepted> record) {
        long ts = record.value().quote().timestamp().toEpochMilli();
        streamTime = Math.max(streamTime, ts);
        long windowEnd = ts - Math.floorMod(ts, windowMs) + windowMs;
        if (windowEnd + graceMs <= streamTime) {
            metrics.barLate();
            return;
        }
        context.forward(record.withValue(new BarInput(record.value().quote().price(), record.value().volumeDelta(), ts))
                .withTimestamp(ts));
    }
}
