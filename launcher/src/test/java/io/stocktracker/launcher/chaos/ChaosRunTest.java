package io.stocktracker.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stocktracker.loadgen.resume.PhaseFigures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run: two edges and the streams processor and ingest connector in JVMs of their own, resuming
 * clients, an edge SIGKILL and a Redis restart. What must hold whatever the machine's speed: after each fault every
 * client is back and holds every symbol's current seq (nothing lost) and never saw a seq twice. The timings are
 * printed, not asserted.
 */
class ChaosRunTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void afterAnEdgeKillAndARedisRestartEveryClientEndsOnTheCurrentSeqWithNoDuplicate() throws Exception {
        List<PhaseFigures> rows = ChaosCommand.run(8, 5, 2, List.of(Fault.EDGE_SIGKILL, Fault.REDIS_RESTART),
                Duration.ofSeconds(3), Duration.ofSeconds(120), dir, System.out);

        assertEquals(3, rows.size(), "baseline + two faults");
        for (PhaseFigures row : rows) {
            assertEquals(0, row.lost(), row.phase() + ": latest values lost\n" + row.row());
            assertEquals(0, row.duplicates(), row.phase() + ": duplicate seqs\n" + row.row());
            assertEquals(0, row.stillAway(), row.phase() + ": clients not back\n" + row.row());
        }
        PhaseFigures kill = rows.get(1);
        assertTrue(kill.reconnected() > 0, "the SIGKILL dropped the clients of the killed edge, who came back: " + kill.row());
    }
}
