package io.stocktracker.launcher.chaos;

/** The faults of a chaos run, in the order issue 15 lists them; each ends with the part restored. */
enum Fault {
    EDGE_SIGKILL("edge SIGKILL+restart"),
    REDIS_RESTART("Redis restart"),
    BROKER_RESTART("broker restart"),
    STREAMS_SIGKILL("streams SIGKILL+restart"),
    PROVIDER_CUT("provider cut (fallback)"),
    PAUSE_RESUME("pause/resume (control)"),
    DRAIN_EDGE("drain one edge");

    final String label;

    Fault(String label) {
        this.label = label;
    }
}
