package io.stocktracker.launcher.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What one JVM holds, read from outside as an operator would: the live heap after a full GC ({@code jcmd PID
 * GC.class_histogram} collects first, then counts every live object; its "Total" line is the bytes), the resident
 * set, threads and open file descriptors from /proc. Every reader answers -1 when it cannot tell.
 */
final class ProcessProbe {
    /**
     * The collector of a JVM whose heap after GC is measured. Serial's full GC compacts fully only every 4th time
     * ({@code MarkSweepAlwaysCompactCount}); in between it may leave up to 5% of a space ({@code MarkSweepDeadRatio})
     * of dead objects in place as int[] fillers, which a class histogram counts as live: a saw-tooth of four probes.
     */
    static final List<String> MEASURABLE_GC = List.of("-XX:+UseSerialGC", "-XX:MarkSweepAlwaysCompactCount=1");

    private ProcessProbe() {}

    static long heapAfterGcBytes(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return histogramTotalBytes(out);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The bytes column of the histogram's {@code Total} line. */
    static long histogramTotalBytes(String histogram) {
        List<String> lines = histogram.lines().map(String::trim).filter(l -> l.startsWith("Total")).toList();
        if (lines.isEmpty()) {
            return -1;
        }
        String[] f = lines.get(lines.size() - 1).split("\\s+");
        return Long.parseLong(f[f.length - 1]);
    }

    static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    static long fileDescriptors(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
