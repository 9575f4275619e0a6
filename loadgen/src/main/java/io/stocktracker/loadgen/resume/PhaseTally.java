package io.stocktracker.loadgen.resume;

import java.util.ArrayList;
import java.util.List;

/** What one client saw during one phase of a run (one fault and its recovery). */
final class PhaseTally {
    final List<Long> reconnectNanos = new ArrayList<>();
    long maxSilenceNanos;
    long duplicates;
    long gapsKeptUp;
    long quotes;
    long drops;
    boolean disconnected;

    PhaseTally copy() {
        PhaseTally t = new PhaseTally();
        t.reconnectNanos.addAll(reconnectNanos);
        t.maxSilenceNanos = maxSilenceNanos;
        t.duplicates = duplicates;
        t.gapsKeptUp = gapsKeptUp;
        t.quotes = quotes;
        t.drops = drops;
        t.disconnected = disconnected;
        return t;
    }

    void reset() {
        reconnectNanos.clear();
        maxSilenceNanos = 0;
        duplicates = 0;
        gapsKeptUp = 0;
        quotes = 0;
        drops = 0;
        disconnected = false;
    }
}
