package io.stocktracker.loadgen.storm;

import org.HdrHistogram.Histogram;

/** The current phase's figures as the storm's clients produce them; the fleet's loop thread only. */
final class StormTally {
    private Histogram toSubscribed = histogram();
    private Histogram toResynced = histogram();
    long duplicates;
    long closes;

    private static Histogram histogram() {
        return new Histogram(3_600_000L, 3);
    }

    /** A client away since {@code droppedAtNanos} is subscribed again at {@code now}. */
    void subscribed(long droppedAtNanos, long now) {
        record(toSubscribed, droppedAtNanos, now);
    }

    /** A client away since {@code droppedAtNanos} was found holding every current seq at {@code now}. */
    void resynced(long droppedAtNanos, long now) {
        record(toResynced, droppedAtNanos, now);
    }

    private static void record(Histogram h, long fromNanos, long now) {
        h.recordValue(Math.min(h.getHighestTrackableValue(), (now - fromNanos) / 1_000_000));
    }

    /** The phase's figures, with the clients' counts; starts the next phase from zero. */
    StormFigures take(int clients, int dropped, int resubscribed) {
        StormFigures f = new StormFigures(clients, dropped, resubscribed, (int) toResynced.getTotalCount(), toSubscribed, toResynced,
                duplicates, closes);
        toSubscribed = histogram();
        toResynced = histogram();
        duplicates = 0;
        closes = 0;
        return f;
    }
}
