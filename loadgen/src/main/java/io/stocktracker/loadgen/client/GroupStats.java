package io.stocktracker.loadgen.client;

import io.stocktracker.loadgen.report.MeasurementWindow;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counters shared by a group of clients (fast or slow). Only quotes whose ingest time lies in the
 * measurement window, and (when the loadgen drives the feed) whose source is the loadgen's, count.
 */
public final class GroupStats {
    private final MeasurementWindow window;
    private final String countedSource;
    private final boolean trackSeqs;

    final LongAdder frames = new LongAdder();
    final LongAdder batchFrames = new LongAdder();
    final LongAdder entries = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder snapshots = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder unparsable = new LongAdder();
    private final java.util.concurrent.atomic.LongAccumulator newestIngestedMicros =
            new java.util.concurrent.atomic.LongAccumulator(Math::max, Long.MIN_VALUE);
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    private final Map<String, Set<Long>> seqsSeen = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    /**
     * @param countedSource only quotes with this source count (null: every source)
     * @param trackSeqs remember distinct seqs per symbol, to derive "expected" when the loadgen does not produce
     */
    public GroupStats(MeasurementWindow window, String countedSource, boolean trackSeqs) {
        this.window = window;
        this.countedSource = countedSource;
        this.trackSeqs = trackSeqs;
    }

    /** Returns true when the entry counted as a delivery. {@code lastSeqs} is the receiving client's own map. */
    boolean onEntry(Frame.Entry e, boolean snapshot, long receivedMicros, Map<String, Long> lastSeqs) {
        entries.increment();
        if (snapshot) {
            snapshots.increment();
            if (e.seq() >= 0 && e.symbol() != null) {
                lastSeqs.merge(e.symbol(), e.seq(), Math::max);
            }
            return false;
        }
        if (countedSource != null && !countedSource.equals(e.source())) {
            return false;
        }
        if (e.seq() >= 0 && e.symbol() != null) {
            Long last = lastSeqs.get(e.symbol());
            if (last != null && e.seq() <= last) {
                duplicates.increment();
                return false;
            }
            lastSeqs.put(e.symbol(), e.seq());
        }
        if (e.ingestedAtMicros() >= 0) {
            newestIngestedMicros.accumulate(e.ingestedAtMicros());
        }
        if (e.ingestedAtMicros() < 0 || !window.contains(e.ingestedAtMicros())) {
            return false;
        }
        delivered.increment();
        latencyMicros.recordValue(Math.max(0, Math.min(receivedMicros - e.ingestedAtMicros(), 3_600_000_000L)));
        if (trackSeqs && e.seq() >= 0) {
            seqsSeen.computeIfAbsent(e.symbol(), k -> ConcurrentHashMap.newKeySet()).add(e.seq());
        }
        return true;
    }

    void onError(String code) {
        errors.increment();
        errorCodes.computeIfAbsent(code == null ? "?" : code, k -> new LongAdder()).increment();
    }

    /** The newest ingest time among counted quotes received so far: how far the pipeline has caught up. */
    public long newestIngestedMicros() {
        return newestIngestedMicros.get();
    }

    public long frames() {
        return frames.sum();
    }

    public long batchFrames() {
        return batchFrames.sum();
    }

    public long entries() {
        return entries.sum();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long snapshots() {
        return snapshots.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long unparsable() {
        return unparsable.sum();
    }

    public Map<String, Long> errorCodes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        errorCodes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Histogram latencyMicros() {
        return latencyMicros.copy();
    }

    /** Distinct seqs seen per symbol in the window (only with trackSeqs). */
    public Map<String, Long> distinctSeqsPerSymbol() {
        Map<String, Long> out = new java.util.TreeMap<>();
        seqsSeen.forEach((k, v) -> out.put(k, (long) v.size()));
        return out;
    }
}
