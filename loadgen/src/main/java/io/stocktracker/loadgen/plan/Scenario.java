package io.stocktracker.loadgen.plan;

/** What happens during a run besides steady subscribers reading the feed. */
public enum Scenario {
    /** Every client connects, subscribes and reads as fast as it can. */
    STEADY,
    /** After warm-up every client drops its connection at the same instant and reconnects at once. */
    RECONNECT_STORM
}
