package io.stocktracker.launcher.chaos;

import java.io.File;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployable's {@code main} in a JVM of its own, so that SIGKILL is a real crash: {@code java -cp <launcher's
 * runtime class path> <Main>}, configured through its environment, output appended to one log file per service
 * (every restart adds to it). The class path is the launcher's jar (or target/classes under Maven) plus the
 * {@code classpath.txt} next to it, which the dependency plugin writes: what bin/stocktracker runs.
 */
final class ServiceProcess {
    /** Every child alive: killed by a shutdown hook if this JVM goes first (Ctrl-C), so no service outlives the run. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-services"));
    }

    private final String name;
    private final String main;
    private final List<String> javaOpts;
    private final Path log;
    private Process process;

    ServiceProcess(String name, String main, List<String> javaOpts, Path log) {
        this.name = name;
        this.main = main;
        this.javaOpts = List.copyOf(javaOpts);
        this.log = log;
    }

    synchronized void start(Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOpts);
        command.addAll(List.of("-cp", classpath(), main));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Process started = pb.start();
            LIVE.add(started);
            started.onExit().thenRun(() -> LIVE.remove(started));
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, sockets are reset by the kernel, the Kafka group only learns by timeout. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    synchronized void stop(Duration grace) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Waits for the first match of {@code pattern} in the log written after {@code fromOffset}; returns group 1. */
    String awaitLog(Pattern pattern, long fromOffset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited before logging " + pattern + "; see " + log);
            }
            Matcher m = pattern.matcher(logSince(fromOffset));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not log " + pattern + " within " + timeout + "; see " + log);
    }

    long logLength() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String classpath() {
        try {
            Path here = Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path file = here.resolveSibling("classpath.txt");
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("no " + file + ": build with ./mvnw -pl launcher -am package");
            }
            return here + File.pathSeparator + Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
