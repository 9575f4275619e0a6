package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The measurement of issue 10's "refused connections cost nothing": an edge in its own JVM (default limits,
 * AUTH_MODE=jwt) gets 1,000 upgrades with a forged token from one address, as fast as they go, from a client that
 * keeps every socket open and never answers a close. Five seconds later the edge's open file descriptors
 * ({@code /proc/<pid>/fd}) must be back near where they were.
 */
@EnabledOnOs(OS.LINUX)
class RefusedConnectionsFootprintTest {
    private static final int ATTEMPTS = 1000;

    @Test
    void aThousandRefusedConnectionsHoldNoFileDescriptorsFiveSecondsLater() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", "edge-fd-" + Long.toHexString(System.nanoTime()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers());
        env.put("REDIS_URL", TestInfra.redis().url());
        env.put("EDGE_CONSUMER_GROUP", "ws-edge-fd-" + System.nanoTime());
        env.put("AUTH_MODE", "jwt");
        env.put("JWT_SECRET", AdmissionTest.SECRET);
        List<RawUpgrade> sockets = new ArrayList<>();
        try (EdgeProcess edge = EdgeProcess.start(env).awaitReady(TestInfra.TIMEOUT)) {
            Path fds = Path.of("/proc", String.valueOf(edge.pid()), "fd");
            int before = count(fds);
            Map<Integer, Integer> statuses = new HashMap<>();
            try {
                for (int i = 0; i < ATTEMPTS; i++) {
                    RawUpgrade r = RawUpgrade.send(edge.port(), "/ws?token=forged" + i, "");
                    statuses.merge(r.status, 1, Integer::sum);
                    sockets.add(r);
                }
                int right = count(fds);
                Thread.sleep(5000); // the measurement's own definition: what is still held 5 s later
                int later = count(fds);
                System.out.printf("[fd-footprint] %s edge fds: before %d, right after %d refused upgrades %d, 5 s later %d;"
                        + " statuses %s%n", Instant.now(), before, ATTEMPTS, right, later, statuses);
                assertThat(later - before).as("file descriptors still held 5 s after %d refused connections", ATTEMPTS)
                        .isLessThan(50);
            } finally {
                for (RawUpgrade r : sockets) {
                    r.close();
                }
            }
        }
    }

    private static int count(Path fds) throws IOException {
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.count();
        }
    }
}
