package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The edge's main, as its container starts it, through service-kit's ServiceMain. */
class EdgeMainTest {
    @Test
    void aBadConfigurationPrintsEveryProblemAndExitsWithCode2() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", EdgeProcess.classpath(), EdgeApp.class.getName())
                .redirectErrorStream(true);
        EdgeConfig.KEYS.keys().forEach(k -> pb.environment().remove(k.name()));
        pb.environment().put("EDGE_PORT", "http");
        pb.environment().put("MAX_FRAME_BYTES", "1");
        pb.environment().put("AUTH_MODE", "bogus");
        pb.environment().put("JWT_SECRET", "do-not-print-me");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("invalid ws-edge configuration", "EDGE_PORT", "MAX_FRAME_BYTES", "AUTH_MODE")
                .doesNotContain("do-not-print-me").doesNotContain("\tat ");
    }
}
