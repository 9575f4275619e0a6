package io.stocktracker.loadgen.storm;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One storm (or the warm-up) as the clients counted it.
 *
 * @param dropped clients whose connection closed during the phase
 * @param resubscribed of those, the clients subscribed again
 * @param resynced of those, the clients seen holding every symbol's current seq after coming back
 * @param toSubscribedMs per client, from its first drop to its {@code subscribed} ack
 * @param toResyncedMs per client, from its first drop to the first check that found it on every symbol's current seq
 * @param duplicates seqs at or below one the client already held (must be 0)
 * @param closes connections lost during the phase (a client refused while the edge restarts counts once per attempt)
 */
public record StormFigures(int clients, int dropped, int resubscribed, int resynced, Histogram toSubscribedMs,
                           Histogram toResyncedMs, long duplicates, long closes) {

    public String summary() {
        return String.format(Locale.ROOT, "%d/%d clients dropped, %d subscribed again (drop->subscribed p50 %d ms, p99 %d ms, max %d ms), "
                        + "%d resynced (drop->resynced p50 %d ms, p99 %d ms, max %d ms); duplicates %d; connections lost %d",
                dropped, clients, resubscribed, pct(toSubscribedMs, 50), pct(toSubscribedMs, 99), toSubscribedMs.getMaxValue(),
                resynced, pct(toResyncedMs, 50), pct(toResyncedMs, 99), toResyncedMs.getMaxValue(), duplicates, closes);
    }

    private static long pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }
}
