package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Two edges share quotes.latest through the consumer group and each other's updates through Redis. */
class TwoEdgesTest {
    @Test
    void aClientOnOneEdgeReceivesQuotesConsumedByTheOtherAndSurvivesItsShutdown() {
        String group = "ws-edge-pair-" + UUID.randomUUID().toString().substring(0, 8);
        TestEdge a = TestEdge.real(Map.of("EDGE_ID", "edge-a-" + group, "EDGE_CONSUMER_GROUP", group));
        TestEdge b = TestEdge.real(Map.of("EDGE_ID", "edge-b-" + group, "EDGE_CONSUMER_GROUP", group));
        try {
            await().atMost(TestInfra.TIMEOUT).until(() -> a.ready() && b.ready() && splitBetween(a, b));
            Set<Integer> ownedByA = TestInfra.partitionsOwnedBy(a);
            String symbol = symbolOnPartitions(ownedByA);

            try (WsClient onB = WsClient.open(b.port()); WsClient onA = WsClient.open(a.port())) {
                onB.subscribe(symbol);
                onB.next("subscribed");
                TestInfra.publish(symbol, 1.25);
                onB.nextPrice(symbol, 1.25);

                a.close();
                assertThat(onA.awaitClose().code()).isEqualTo(CloseCode.GOING_AWAY.code());
                await().atMost(TestInfra.TIMEOUT).until(() -> TestInfra.partitionsOwnedBy(b).size() == Topics.DEFAULT_PARTITIONS);

                TestInfra.publish(symbol, 2.25);
                onB.next(m -> WsClient.priceOf(m, symbol) == 2.25, Duration.ofSeconds(60), symbol + " after failover");
            }
        } finally {
            a.close();
            b.close();
        }
    }

    /** Both edges relay some of quotes.latest, and together all of it. */
    static boolean splitBetween(TestEdge a, TestEdge b) {
        Set<Integer> ofA = TestInfra.partitionsOwnedBy(a);
        Set<Integer> ofB = TestInfra.partitionsOwnedBy(b);
        return !ofA.isEmpty() && !ofB.isEmpty() && ofA.size() + ofB.size() == Topics.DEFAULT_PARTITIONS;
    }

    /** A symbol the default partitioner puts on one of these partitions. */
    private static String symbolOnPartitions(Set<Integer> partitions) {
        for (int i = 0; ; i++) {
            String s = "PAIR" + i;
            int p = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
            if (partitions.contains(p)) {
                return s;
            }
        }
    }
}
