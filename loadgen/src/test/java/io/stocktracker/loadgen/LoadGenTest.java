package io.stocktracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.loadgen.plan.LoadPlan;
import io.stocktracker.loadgen.plan.Preset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadGenTest {

    @Test
    void durationsAcceptShortUnitsAndIso() {
        assertThat(LoadGen.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadGen.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadGen.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadGen.duration("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(LoadGen.duration(null)).isNull();
        assertThatThrownBy(() -> LoadGen.duration("soon")).hasMessageContaining("not a duration");
    }

    @Test
    void flagsOverrideThePresetAndTheTargetSuppliesKafka() {
        LoadGen cmd = new LoadGen();
        new CommandLine(cmd).parseArgs("--preset", "fanout-10k", "-c", "12", "-k", "2", "--duration", "5s");
        Target target = new Target(URI.create("ws://127.0.0.1:1/ws"), null, "127.0.0.1:9092", null, null);
        LoadPlan plan = LoadPlan.resolve(cmd.preset, cmd.overrides(target));
        assertThat(cmd.preset).isEqualTo(Preset.FANOUT_10K);
        assertThat(plan.clients()).isEqualTo(12);
        assertThat(plan.symbols()).hasSize(500);
        assertThat(plan.symbolsPerClient()).isEqualTo(2);
        assertThat(plan.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.drivesFeed()).isTrue();

        LoadGen passive = new LoadGen();
        new CommandLine(passive).parseArgs("--no-feed");
        assertThat(LoadPlan.resolve(passive.preset, passive.overrides(target)).drivesFeed()).isFalse();
    }

    @Test
    void severalUrlsSpreadTheClientsOverSeveralEdges() {
        LoadGen cmd = new LoadGen();
        new CommandLine(cmd).parseArgs("--url", "ws://a:1/ws,ws://b:2/ws", "--url", "ws://c:3/ws");
        Target target = new Target(cmd.urls.get(0), null, null, null, null, cmd.urls.subList(1, cmd.urls.size()));
        LoadPlan plan = LoadPlan.resolve(cmd.preset, cmd.overrides(target));
        assertThat(plan.wsUrls()).containsExactly(URI.create("ws://a:1/ws"), URI.create("ws://b:2/ws"), URI.create("ws://c:3/ws"));
        assertThat(plan.metricsUrl()).isEqualTo(URI.create("http://a:1/metrics"));
    }

    @Test
    void withoutUrlOrStackItExplainsWhatIsMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LoadGen cmd = new LoadGen().withOutput(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc = new CommandLine(cmd).execute();
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url is required");
    }
}
