package io.stocktracker.streams;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two Kafka Streams processing guarantees this service supports, by their Kafka config value. */
public enum ProcessingGuarantee {
    /** Transactions: no duplicate and no lost seq across crashes; read_committed consumers see output at each commit. */
    EXACTLY_ONCE_V2("exactly_once_v2"),
    /** Output visible at once; a crash may replay (edges drop seq <= last seen) or, rarely, skip a tick. */
    AT_LEAST_ONCE("at_least_once");

    private final String kafkaValue;

    ProcessingGuarantee(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    public String kafkaValue() {
        return kafkaValue;
    }

    public static ProcessingGuarantee parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (ProcessingGuarantee g : values()) {
            if (g.kafkaValue.equals(wanted)) {
                return g;
            }
        }
        throw new IllegalArgumentException("must be one of "
                + Arrays.stream(values()).map(ProcessingGuarantee::kafkaValue).collect(Collectors.joining(", ")));
    }
}
