package io.stocktracker.loadgen.resume;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One phase summed over every client: the row of the chaos table.
 *
 * @param reconnected clients that were dropped and came back (subscribed again)
 * @param stillAway clients dropped and not back when the phase ended
 * @param maxSilenceMs the longest time any symbol stayed silent at any client
 * @param lost (client, symbol) pairs still behind the symbol's current seq after recovery: must be 0
 * @param duplicates seqs at or below one the client already held: must be 0
 * @param gapsKeptUp seqs skipped (conflated) at clients that stayed connected the whole phase
 */
public record PhaseFigures(String phase, int clients, int reconnected, int stillAway, double reconnectP50Ms,
                           double reconnectP99Ms, double reconnectMaxMs, double maxSilenceMs, long lost, long duplicates,
                           long gapsKeptUp, long quotes, double seconds) {

    static PhaseFigures of(String phase, List<PhaseTally> tallies, int stillAway, long lost, double seconds) {
        Histogram h = new Histogram(3_600_000L, 3);
        int reconnected = 0;
        long maxSilence = 0;
        long dups = 0;
        long gaps = 0;
        long quotes = 0;
        for (PhaseTally t : tallies) {
            if (!t.reconnectNanos.isEmpty()) {
                reconnected++;
                for (long n : t.reconnectNanos) {
                    h.recordValue(Math.min(h.getHighestTrackableValue(), n / 1_000_000));
                }
            }
            maxSilence = Math.max(maxSilence, t.maxSilenceNanos);
            dups += t.duplicates;
            gaps += t.gapsKeptUp;
            quotes += t.quotes;
        }
        boolean any = h.getTotalCount() > 0;
        return new PhaseFigures(phase, tallies.size(), reconnected, stillAway, any ? h.getValueAtPercentile(50) : 0,
                any ? h.getValueAtPercentile(99) : 0, any ? h.getMaxValue() : 0, maxSilence / 1e6, lost, dups, gaps, quotes,
                seconds);
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-22s %8s %7s %9s %9s %9s %10s %6s %6s %9s %9s %6s",
                "fault", "clients", "reconn", "p50 ms", "p99 ms", "max ms", "silence ms", "lost", "dups", "gaps(kept)",
                "quotes", "secs");
    }

    public String row() {
        return String.format(Locale.ROOT, "%-22s %8d %7s %9.0f %9.0f %9.0f %10.0f %6d %6d %9d %9d %6.0f",
                phase, clients, reconnected + (stillAway > 0 ? "+" + stillAway + "!" : ""), reconnectP50Ms, reconnectP99Ms,
                reconnectMaxMs, maxSilenceMs, lost, duplicates, gapsKeptUp, quotes, seconds);
    }
}
