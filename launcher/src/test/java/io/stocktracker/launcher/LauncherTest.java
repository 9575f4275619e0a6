package io.stocktracker.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.launcher.stack.StackOptions;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LauncherTest {

    private static UpCommand up(Map<String, String> env, String... args) {
        UpCommand cmd = new UpCommand(env, new PrintStream(new ByteArrayOutputStream()));
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void upDefaultsToOneEdgeOn8081TheSimulatedSourceAndPersistentData() {
        StackOptions o = up(Map.of()).options();
        assertThat(o.edges()).isEqualTo(1);
        assertThat(o.edgePort(0)).isEqualTo(8081);
        assertThat(o.sources()).containsExactly("simulated");
        assertThat(o.simulatedSymbolCount()).isEqualTo(50);
        assertThat(o.dataDir()).isEqualTo(Path.of("data"));
        assertThat(o.kafkaBootstrapServers()).isNull();
        assertThat(o.ingest()).isTrue();
    }

    @Test
    void environmentThenFlagsConfigureTheStack() {
        Map<String, String> env = Map.of("EDGE_PORT", "9000", "STOCKTRACKER_EDGES", "3", "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "REDIS_URL", "redis://r:6379", "INGEST_SOURCES", "twelvedata,simulated");
        StackOptions fromEnv = up(env).options();
        assertThat(fromEnv.edges()).isEqualTo(3);
        assertThat(List.of(fromEnv.edgePort(0), fromEnv.edgePort(1), fromEnv.edgePort(2))).containsExactly(9000, 9001, 9002);
        assertThat(fromEnv.kafkaBootstrapServers()).isEqualTo("k:9092");
        assertThat(fromEnv.redisUrl()).isEqualTo("redis://r:6379");
        assertThat(fromEnv.sources()).containsExactly("twelvedata", "simulated");
        assertThat(fromEnv.serviceEnv()).containsEntry("EDGE_PORT", "9000");

        StackOptions flags = up(env, "--edges", "2", "--port", "0", "--source", "replay", "--replay-file", "q.jsonl",
                "--symbols", "aapl,msft", "--ephemeral", "--no-ingest").options();
        assertThat(flags.edges()).isEqualTo(2);
        assertThat(flags.edgePort(1)).isZero();
        assertThat(flags.sources()).containsExactly("replay");
        assertThat(flags.symbols()).containsExactly("AAPL", "MSFT");
        assertThat(flags.dataDir()).isNull();
        assertThat(flags.ingest()).isFalse();
        assertThat(flags.serviceEnv().get("REPLAY_FILE")).endsWith("q.jsonl");
    }

    @Test
    void badOptionsAreReportedTogether() {
        assertThatThrownBy(() -> up(Map.of(), "--edges", "0", "--source", "bloomberg").options())
                .hasMessageContaining("STOCKTRACKER_EDGES must be between 1 and 64").hasMessageContaining("unknown source 'bloomberg'");
        assertThatThrownBy(() -> StackOptions.fromEnv(Map.of("EDGE_PORT", "eighty")))
                .hasMessageContaining("EDGE_PORT must be a whole number");
    }

    @Test
    void theCommandLineHasUpLoadgenAndReplay() {
        CommandLine cl = Launcher.commandLine(Map.of());
        assertThat(cl.getSubcommands()).containsKeys("up", "loadgen", "replay", "chaos", "storm", "soak");
    }
}
