package io.stocktracker.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A deployable's {@code main} in a JVM of its own, started the way its Dockerfile starts it: {@code java -cp
 * <the module's jar and runtime dependencies> <Main>}, configured only through its environment. The classpath is the
 * module's {@code target/classes} plus {@code target/classpath.txt} (its runtime dependencies, written by the
 * dependency plugin before the tests run), so no test resource (logback-test.xml) reaches the child. Its stdout and
 * stderr go to one file.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code main} with exactly {@code env} (plus PATH) as its environment, nothing inherited. */
    public static ChildJvm start(Class<?> main, List<String> args, Map<String, String> env, Path output) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", runtimeClasspath(main), main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        pb.environment().putAll(env);
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            return new ChildJvm(pb.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getName(), e);
        }
    }

    static String runtimeClasspath(Class<?> main) {
        Path classes;
        try {
            classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path file = classes.resolveSibling("classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(file)) {
            throw new IllegalStateException(main.getName() + " is not in a module's target/classes next to classpath.txt ("
                    + classes + "): run the test through Maven, which writes it");
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the child wrote so far. */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output holds {@code text}; fails with the output if the child exits first or time runs out. */
    public ChildJvm awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("child exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** SIGTERM, then waits for the shutdown hooks to finish (their log lines are part of the output). */
    public void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
