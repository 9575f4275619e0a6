package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EdgeWarmupTest {
    @Test
    void theWarmUpRunsEveryRoundThroughLoopbackClientsAndLeavesNothingBehind() throws Exception {
        Set<String> threadsBefore = threadNames();
        long frames = EdgeWarmup.run("edge-test", new EdgeConfig.WarmupPolicy(2_000, Duration.ofSeconds(60)));
        // 4 rounds of 500 quotes to 16 clients: at least each round's marker reached every client (conflation may merge the rest)
        assertThat(frames).isGreaterThanOrEqualTo(4L * 16);
        Thread.sleep(500);
        Set<String> leftover = threadNames();
        leftover.removeAll(threadsBefore);
        assertThat(leftover).as("threads the throw-away edge left running")
                .noneMatch(n -> n.startsWith("edge-writer") || n.startsWith("edge-warmup") || n.contains("qtp"));
    }

    @Test
    void aWarmUpOutOfTimeStopsAndSaysSo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> EdgeWarmup.run("edge-test", new EdgeConfig.WarmupPolicy(10_000_000, Duration.ofMillis(1500))))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
