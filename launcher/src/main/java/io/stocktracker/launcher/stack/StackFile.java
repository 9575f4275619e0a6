package io.stocktracker.launcher.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <data dir>/stack.properties}: written by a running {@code stocktracker up} so {@code replay} and
 * {@code loadgen} find its broker (whose port is chosen at start) without flags; removed on shutdown.
 */
public final class StackFile {
    public static final String NAME = "stack.properties";

    private StackFile() {}

    public static void write(Path dataDir, Stack stack) {
        Properties p = new Properties();
        p.setProperty("kafka.bootstrap.servers", stack.bootstrapServers());
        p.setProperty("redis.url", stack.redisUrl());
        p.setProperty("ws.url", stack.wsUrl().toString());
        p.setProperty("ui.url", stack.uiUrl().toString());
        p.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
        try {
            Files.createDirectories(dataDir);
            try (Writer w = Files.newBufferedWriter(dataDir.resolve(NAME))) {
                p.store(w, "written by stocktracker up; removed when it stops");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The properties of a stack that is still running (its pid alive), if any. */
    public static Optional<Properties> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(p.getProperty("pid", "-1"));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.of(p);
            }
        } catch (NumberFormatException ignored) {
            // a damaged file is as good as none
        }
        return Optional.empty();
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException ignored) {
            // best effort on shutdown
        }
    }
}
