package io.stocktracker.loadgen.edgebench;

import io.stocktracker.loadgen.report.DeliveryMath;
import io.stocktracker.loadgen.report.LatencySummary;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run as ONE JSON line. Latency is publish stamp -> the client's read(), in ms; CPU is the edge
 * process's utime + stime over the window divided by the quotes delivered in it; RSS is VmRSS; load averages are
 * the machine's at start and end (the box is shared: read every figure with them).
 */
public record BenchResult(String scenario, String startedAt, String edge, int clients, int subscribed, int symbols,
                          int symbolsPerClient, double rate, double publishRate, double warmupSeconds, double soakSeconds,
                          Window window, Edge edgeUsage, double[] loadAverageStart, double[] loadAverageEnd,
                          double stallSeconds, long[] deliveriesPerSecond, Counts counts, Idle idle, List<Window> steps,
                          Double maxRate) {

    /** One measured window: what was expected, what arrived, how late, and what it cost the edge. */
    /** {@code clientThreadCpuSeconds} near {@code seconds} would mean the one client thread, not the edge, was the limit. */
    /** {@code edgeConflations}: what the edge counted as conflated from the window's start to its drain's end, -1 unknown. */
    public record Window(double rate, double publishRate, double seconds, long expected, long delivered,
                         LatencySummary latencyMs, double edgeCpuSeconds, long published, double clientThreadCpuSeconds,
                         long edgeConflations) {
        public double deliveryPercent() {
            return DeliveryMath.rate(delivered, expected) * 100;
        }

        /** Edge CPU microseconds per delivered quote; -1 when the CPU time is unknown or nothing was delivered. */
        public double cpuMicrosPerQuote() {
            return edgeCpuSeconds < 0 || delivered == 0 ? -1 : edgeCpuSeconds * 1e6 / delivered;
        }

        /** Meets issue 12's "highest rate" bar for a step: >= 99 % delivered with p99 <= {@code p99LimitMs}. */
        public boolean passes(double p99LimitMs) {
            return deliveryPercent() >= 99.0 && latencyMs.count() > 0 && latencyMs.p99() <= p99LimitMs;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate", round(rate, 1));
            m.put("publishRate", round(publishRate, 1));
            m.put("seconds", round(seconds, 2));
            m.put("delivered", delivered);
            m.put("expected", expected);
            m.put("deliveryPercent", round(deliveryPercent(), 3));
            m.put("deliveredPerSecond", round(DeliveryMath.perSecond(delivered, seconds), 1));
            m.put("edgeConflations", edgeConflations);
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("p50", latencyMs.p50());
            l.put("p99", latencyMs.p99());
            l.put("p999", latencyMs.p999());
            l.put("max", latencyMs.max());
            l.put("mean", latencyMs.mean());
            l.put("count", latencyMs.count());
            m.put("latencyMs", l);
            m.put("edgeCpuSeconds", round(edgeCpuSeconds, 2));
            m.put("edgeCpuMicrosPerQuote", round(cpuMicrosPerQuote(), 2));
            m.put("published", published);
            m.put("clientThreadCpuSeconds", round(clientThreadCpuSeconds, 2));
            return m;
        }
    }

    public record Edge(long pid, long rssKbStart, long rssKbEnd) {
    }

    /** {@code outOfOrder}: live quotes older than one already received; {@code staleSnapshots}: snapshots that came after a newer live quote. */
    public record Counts(long received, long duplicates, long outOfOrder, long snapshots, long staleSnapshots, long frames,
                         long batchFrames,
                         long unparsable, long unknownSymbols, long connectErrors, Map<String, Long> connectErrorKinds,
                         long transportErrors, Map<Integer, Long> serverCloses, Map<String, Long> errorCodes,
                         long publishFailures, String publishLastError) {
    }

    /** Edge RSS before and after {@code connections} idle connections. */
    public record Idle(int connections, long rssKbBefore, long rssKbAfter) {
        public double rssKbPerConnection() {
            return connections == 0 || rssKbBefore < 0 || rssKbAfter < 0 ? -1 : (double) (rssKbAfter - rssKbBefore) / connections;
        }
    }

    public String toJsonLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("clients", clients);
        m.put("subscribed", subscribed);
        m.put("symbols", symbols);
        m.put("symbolsPerClient", symbolsPerClient);
        m.put("rate", round(rate, 1));
        m.put("publishRate", round(publishRate, 1));
        m.put("duration", window == null ? 0 : round(window.seconds(), 2));
        if (window != null) {
            m.putAll(window.toMap());
            m.put("seconds", round(window.seconds(), 2));
        }
        m.put("stallSeconds", stallSeconds);
        m.put("edgeRssKb", edgeUsage.rssKbEnd());
        m.put("edgeRssKbStart", edgeUsage.rssKbStart());
        m.put("edgePid", edgeUsage.pid());
        m.put("loadAverageStart", loadAverageStart);
        m.put("loadAverageEnd", loadAverageEnd);
        m.put("warmupSeconds", warmupSeconds);
        m.put("soakSeconds", soakSeconds);
        if (idle != null) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("connections", idle.connections());
            i.put("rssKbBefore", idle.rssKbBefore());
            i.put("rssKbAfter", idle.rssKbAfter());
            i.put("rssKbPerConnection", round(idle.rssKbPerConnection(), 2));
            m.put("idle", i);
        }
        if (steps != null && !steps.isEmpty()) {
            m.put("maxRate", maxRate);
            m.put("steps", steps.stream().map(Window::toMap).toList());
        }
        m.put("counts", counts);
        m.put("deliveriesPerSecond", deliveriesPerSecond);
        m.put("edge", edge);
        m.put("startedAt", startedAt);
        return JsonCodec.toJson(m);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
