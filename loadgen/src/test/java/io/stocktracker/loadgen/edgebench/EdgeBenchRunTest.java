package io.stocktracker.loadgen.edgebench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The command end to end, tiny: a real edge in a child JVM (from this module's test class path, which holds
 * ws-edge), a real redis-server and KRaft broker, five raw clients, two seconds of quotes.
 */
class EdgeBenchRunTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aShortRunAgainstAChildJvmEdgeDeliversEveryQuoteAndPrintsOneCompleteJsonLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int exit = new CommandLine(new EdgeBench().withOutput(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(
                "--scenario", "seed", "-c", "5", "-s", "2", "-k", "2", "-r", "100", "-d", "2s", "--warmup", "1s",
                "--connect-rate", "0", "--max-drain", "10s",
                "--edge-java-opts", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--edge-classpath", classpath, "--edge-log-dir", "target/bench-edge");
        String progress = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(progress).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as(progress).hasSize(1);
        JsonNode n = JsonCodec.tree(lines.get(0));
        for (String f : BenchResultTest.FIELDS) {
            assertThat(n.has(f)).as(f + " in " + lines.get(0)).isTrue();
        }
        assertThat(n.get("subscribed").asInt()).isEqualTo(5);
        assertThat(n.get("publishRate").asDouble()).isEqualTo(20); // 100 deliveries/s over 5 subscribers per symbol
        long expected = n.get("expected").asLong();
        assertThat(expected).as(lines.get(0)).isGreaterThanOrEqualTo(100);
        // every quote arrives, or the edge counted it conflated (a write to that client was in flight, as on a loaded
        // machine): a conflated quote is replaced by a newer one by design, never lost unseen
        long delivered = n.get("delivered").asLong();
        long conflated = n.get("edgeConflations").asLong();
        assertThat(conflated).as(lines.get(0)).isGreaterThanOrEqualTo(0);
        assertThat(delivered).as(lines.get(0)).isLessThanOrEqualTo(expected).isGreaterThanOrEqualTo(expected - conflated);
        assertThat(n.get("latencyMs").get("count").asLong()).isEqualTo(delivered);
        assertThat(n.get("latencyMs").get("p50").asDouble()).isPositive();
        assertThat(n.get("counts").get("outOfOrder").asLong()).isZero();
        // a quote published while a client subscribes may reach it twice (snapshot, then live): once per subscription at most
        assertThat(n.get("counts").get("duplicates").asLong()).isLessThanOrEqualTo(10);
        assertThat(n.get("edgeCpuSeconds").asDouble()).isPositive();
        assertThat(n.get("edgeRssKb").asLong()).isPositive();
        assertThat(n.get("loadAverageEnd")).hasSize(3);
        assertThat(n.get("edge").asText()).startsWith("child JVM pid " + n.get("edgePid").asLong());
    }
}
