package io.stocktracker.streams.http;

import io.stocktracker.kit.ops.Probe;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} and {@code /ready} say: ok only while Kafka Streams is RUNNING, 503 with the current state
 * otherwise, so a load balancer or orchestrator sees rebalances and failures.
 */
public final class StreamsProbe {
    private StreamsProbe() {
    }

    public static Probe of(KafkaStreams.State state) {
        return new Probe(state == KafkaStreams.State.RUNNING, Map.of("state", String.valueOf(state)));
    }
}
