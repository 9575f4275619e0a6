package io.stocktracker.loadgen.feed;

import io.stocktracker.loadgen.report.MeasurementWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a feed's publishes came to, as their acknowledgements arrive: how many were acknowledged or failed (and the
 * last error), and per symbol how many acknowledged ones carry a stamp inside the measurement window, which is what a
 * client could have been sent.
 */
final class PublishLedger {
    private final List<String> symbols;
    private final MeasurementWindow window;
    private final AtomicLongArray producedInWindow;
    private final LongAdder acked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile String lastError;

    PublishLedger(List<String> symbols, MeasurementWindow window) {
        this.symbols = List.copyOf(symbols);
        this.window = window;
        this.producedInWindow = new AtomicLongArray(symbols.size());
    }

    /** The broker or Redis answered the publish of {@code symbols[index]} stamped {@code stampMicros}. */
    void answered(int index, long stampMicros, Throwable error) {
        if (error != null) {
            failed.increment();
            lastError = error.toString();
            return;
        }
        acked.increment();
        if (window.contains(stampMicros)) {
            producedInWindow.incrementAndGet(index);
        }
    }

    /** Symbol -> publishes acknowledged whose stamp lies in the window. */
    Map<String, Long> producedInWindow() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            out.put(symbols.get(i), producedInWindow.get(i));
        }
        return out;
    }

    long acked() {
        return acked.sum();
    }

    long failed() {
        return failed.sum();
    }

    String lastError() {
        return lastError;
    }
}
