package io.stocktracker.loadgen.rawclient;

import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.MeasurementWindow;
import org.HdrHistogram.Histogram;

/**
 * What the benchmark's clients made of the quotes they got: a quote is delivered when its seq is new for that client
 * and symbol and its {@code ingestedAt} (the publish stamp) lies in the window, and then its latency is recorded;
 * everything else is counted by why it was not. One writer, the fleet's loop thread; the volatile counts are the
 * ones the run watches while it goes, the rest are read after the loop stopped.
 */
final class QuoteTally {
    private final SymbolIndex symbols;
    private final MeasurementWindow window;
    private final DeliveryTimeline timeline;
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    volatile long delivered;
    volatile long received;
    volatile long newestIngestedMicros = Long.MIN_VALUE;
    long duplicates;
    long outOfOrder;
    long snapshots;
    long staleSnapshots;
    long batchFrames;
    long unknownSymbols;

    QuoteTally(SymbolIndex symbols, MeasurementWindow window, DeliveryTimeline timeline) {
        this.symbols = symbols;
        this.window = window;
        this.timeline = timeline;
    }

    /** Counts the quotes {@code scanner} just read from {@code a} for the client holding {@code held}. */
    void count(QuoteScanner scanner, byte[] a, HeldSeqs held, long nowMicros, long nowNanos) {
        if (scanner.type() == QuoteScanner.Type.BATCH_UPDATE) {
            batchFrames++;
        }
        int n = scanner.quotes();
        boolean snapshot = scanner.snapshot();
        if (!snapshot) {
            received = received + n;
            timeline.record(nowNanos, n);
        }
        long newDelivered = 0;
        for (int i = 0; i < n; i++) {
            int slot = held.slot(symbols.indexOf(a, scanner.symbolOffset(i), scanner.symbolLength(i)));
            if (slot < 0) {
                unknownSymbols++;
                continue;
            }
            long seq = scanner.seq(i);
            long last = held.seq(slot);
            if (seq <= last) {
                if (snapshot) {
                    staleSnapshots++; // the snapshot came after a newer live update (PROTOCOL.md: snapshots first)
                } else if (seq == last) {
                    duplicates++;
                } else {
                    outOfOrder++;
                }
                continue;
            }
            held.hold(slot, seq);
            if (snapshot) {
                snapshots++;
                continue;
            }
            long stamp = scanner.ingestedMicros(i);
            if (stamp > newestIngestedMicros) {
                newestIngestedMicros = stamp;
            }
            if (window.contains(stamp)) {
                newDelivered++;
                latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(0, nowMicros - stamp)));
            }
        }
        if (newDelivered > 0) {
            delivered = delivered + newDelivered;
        }
    }

    /** The latency recorded since the last call (or the start); starts a new interval. */
    Histogram takeLatency() {
        Histogram taken = latencyMicros.copy();
        latencyMicros.reset();
        return taken;
    }

    Histogram latency() {
        return latencyMicros.copy();
    }
}
