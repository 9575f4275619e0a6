package io.stocktracker.loadgen.edgebench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about a process and the machine: CPU time (utime + stime of /proc/PID/stat), resident memory
 * (VmRSS of /proc/PID/status) and the load average (/proc/loadavg). The parsers are pure, for the tests.
 */
public final class ProcStats {
    /** USER_HZ: the unit of utime/stime. 100 on every Linux this runs on (a kernel constant exported to userspace). */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /** CPU seconds the process used so far, or -1 when unreadable (not Linux, process gone). */
    public static double cpuSeconds(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))) / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in KiB, or -1 when unreadable. */
    public static long rssKb(long pid) {
        try {
            return vmRssKb(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1, 5 and 15 minute load averages, or null when unreadable. */
    public static double[] loadAverage() {
        try {
            return loadAverage(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime from a /proc/PID/stat line; the command name may hold spaces and parentheses. */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // after "(comm) ": state is field 3 of the man page, utime 14, stime 15
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    static long vmRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }

    static double[] loadAverage(String loadavg) {
        String[] f = loadavg.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }
}
