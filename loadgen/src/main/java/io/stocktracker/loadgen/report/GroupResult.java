package io.stocktracker.loadgen.report;

/** Delivery and latency for one group of clients (all fast clients, or all slow ones). */
public record GroupResult(int clients, long expected, long delivered, double deliveryRate, long duplicates,
                          long snapshots, long frames, long batchFrames, LatencySummary latencyMs) {

    public static GroupResult of(int clients, long expected, long delivered, long duplicates, long snapshots,
                                 long frames, long batchFrames, LatencySummary latency) {
        return new GroupResult(clients, expected, delivered, DeliveryMath.rate(delivered, expected), duplicates,
                snapshots, frames, batchFrames, latency);
    }
}
