package io.stocktracker.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a child JVM holds, seen from outside as an operator would look: its sockets in /proc, its threads through jcmd. */
final class ChildJvm {
    /** {@code "name" #12 daemon prio=5 ...} for Java threads, {@code "VM Thread" os_prio=0 ...} for the JVM's own. */
    private static final Pattern THREAD = Pattern.compile("^\"(.+)\" (?:#\\d+|os_prio)");
    /** The state column of /proc/net/tcp: 0A is LISTEN. */
    private static final String LISTEN = "0A";

    /** The TCP ports the process listens on (IPv4 and IPv6), from its socket inodes and its network namespace's tables. */
    static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // a descriptor closed while listing holds nothing
                }
            }
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && LISTEN.equals(f[3]) && inodes.contains(f[9])) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** The names of every live thread, the JVM's own among them (jcmd Thread.print: the names in full). */
    static List<String> threadNames(long pid) throws IOException, InterruptedException {
        String out = jcmd(pid, "Thread.print");
        List<String> names = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = THREAD.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no thread in jcmd's answer: " + out);
        }
        return names;
    }

    /** A full collection in the process (jcmd GC.run). */
    static void collectGarbage(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    private ChildJvm() {}
}
