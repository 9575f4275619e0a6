package io.stocktracker.loadgen.report;

import io.stocktracker.schemas.codec.JsonCodec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one run. {@code delivered}/{@code expected} cover every client; {@code fast} and
 * {@code slow} split them. Conflation is by design: a slow client receives the latest quote per symbol,
 * not every quote, so its delivery rate falls below 1 without anything being lost for fast clients.
 */
public record LoadReport(
        String preset,
        String scenario,
        String startedAt,
        String url,
        int clients,
        int subscribed,
        long connectErrors,
        Map<String, Long> connectErrorKinds,
        int symbols,
        int symbolsPerClient,
        boolean feedDriven,
        int targetRate,
        double windowSeconds,
        long produced,
        long feedFailures,
        long expected,
        long delivered,
        double deliveryRate,
        double quotesPerSecond,
        double framesPerSecond,
        double producedPerSecond,
        LatencySummary latencyMs,
        GroupResult fast,
        GroupResult slow,
        Edge edge,
        Reconnect reconnect,
        Map<Integer, Long> serverCloses,
        Map<String, Long> errorCodes) {

    /** The edge's resource use from its /metrics; {@code samples == 0} means it could not be read. */
    public record Edge(int samples, double cpuAvg, double cpuMax, double heapMaxBytes, String note, long conflations,
                       long slowDisconnects) {
        public Edge(int samples, double cpuAvg, double cpuMax, double heapMaxBytes, String note) {
            this(samples, cpuAvg, cpuMax, heapMaxBytes, note, -1, -1);
        }
    }

    /** Reconnect-storm figures; null for other scenarios. */
    public record Reconnect(long allResubscribedMillis, int resubscribed, int clients, double p50Millis,
                            double p99Millis, double maxMillis) {
    }

    public static LoadReport of(String preset, String scenario, String startedAt, String url, int clients, int subscribed,
                                long connectErrors, Map<String, Long> connectErrorKinds, int symbols, int symbolsPerClient,
                                boolean feedDriven, int targetRate, double windowSeconds, long produced, long feedFailures,
                                long frames, LatencySummary latency, GroupResult fast, GroupResult slow, Edge edge,
                                Reconnect reconnect, Map<Integer, Long> serverCloses, Map<String, Long> errorCodes) {
        long expected = fast.expected() + (slow == null ? 0 : slow.expected());
        long delivered = fast.delivered() + (slow == null ? 0 : slow.delivered());
        return new LoadReport(preset, scenario, startedAt, url, clients, subscribed, connectErrors, connectErrorKinds,
                symbols, symbolsPerClient, feedDriven, targetRate, windowSeconds, produced, feedFailures, expected, delivered,
                DeliveryMath.rate(delivered, expected), DeliveryMath.perSecond(delivered, windowSeconds),
                DeliveryMath.perSecond(frames, windowSeconds), DeliveryMath.perSecond(produced, windowSeconds),
                latency, fast, slow, edge, reconnect, serverCloses, errorCodes);
    }

    /** One JSON object on one line; the fields the CLI contract names come first. */
    public String toJsonLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("clients", clients);
        m.put("expected", expected);
        m.put("delivered", delivered);
        m.put("deliveryRate", round(deliveryRate, 6));
        m.put("quotesPerSecond", round(quotesPerSecond, 1));
        m.put("latencyMs", latencyMap(latencyMs));
        m.put("framesPerSecond", round(framesPerSecond, 1));
        m.put("producedPerSecond", round(producedPerSecond, 1));
        m.put("produced", produced);
        m.put("feedDriven", feedDriven);
        m.put("subscribed", subscribed);
        m.put("connectErrors", connectErrors);
        m.put("connectErrorKinds", connectErrorKinds);
        m.put("symbols", symbols);
        m.put("symbolsPerClient", symbolsPerClient);
        m.put("targetRate", targetRate);
        m.put("windowSeconds", round(windowSeconds, 2));
        m.put("feedFailures", feedFailures);
        m.put("fast", group(fast));
        if (slow != null) {
            m.put("slow", group(slow));
        }
        m.put("edge", edge);
        if (reconnect != null) {
            m.put("reconnect", reconnect);
        }
        m.put("serverCloses", serverCloses);
        m.put("errorCodes", errorCodes);
        m.put("scenario", scenario);
        m.put("url", url);
        m.put("startedAt", startedAt);
        return JsonCodec.toJson(m);
    }

    private static Map<String, Object> group(GroupResult g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", g.clients());
        m.put("expected", g.expected());
        m.put("delivered", g.delivered());
        m.put("deliveryRate", round(g.deliveryRate(), 6));
        m.put("duplicates", g.duplicates());
        m.put("snapshots", g.snapshots());
        m.put("frames", g.frames());
        m.put("batchFrames", g.batchFrames());
        m.put("latencyMs", latencyMap(g.latencyMs()));
        return m;
    }

    private static Map<String, Object> latencyMap(LatencySummary l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", l.p50());
        m.put("p90", l.p90());
        m.put("p99", l.p99());
        m.put("p999", l.p999());
        m.put("max", l.max());
        m.put("mean", l.mean());
        m.put("count", l.count());
        return m;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        line(b, "preset            %s (%s) against %s, started %s", preset, scenario, url, startedAt);
        line(b, "clients           %d requested, %d subscribed, %d connect errors %s", clients, subscribed, connectErrors,
                connectErrorKinds.isEmpty() ? "" : connectErrorKinds.toString());
        line(b, "symbols           %d, %d per client", symbols, symbolsPerClient);
        if (feedDriven) {
            line(b, "feed              %d quotes produced in a %.1f s window (%.1f/s, target %d/s), %d send failures",
                    produced, windowSeconds, producedPerSecond, targetRate, feedFailures);
        } else {
            line(b, "feed              not driven by loadgen: expected = distinct seqs seen per symbol x its subscribers (a lower bound)");
        }
        line(b, "delivery          %d of %d expected = %.4f%%", delivered, expected, deliveryRate * 100);
        line(b, "throughput        %.1f quotes/s and %.1f frames/s received", quotesPerSecond, framesPerSecond);
        line(b, "latency (ms)      %s", latencyText(latencyMs));
        group(b, "fast clients", fast);
        if (slow != null) {
            group(b, "slow clients", slow);
            line(b, "note              slow clients receive the latest quote per symbol (conflation), by design: their delivery rate is not a loss");
        }
        if (reconnect != null) {
            line(b, "reconnect storm   %d of %d re-subscribed, all within %d ms (per client p50 %.0f ms, p99 %.0f ms, max %.0f ms)",
                    reconnect.resubscribed(), reconnect.clients(), reconnect.allResubscribedMillis(),
                    reconnect.p50Millis(), reconnect.p99Millis(), reconnect.maxMillis());
        }
        if (edge.samples() > 0) {
            line(b, "edge process      cpu avg %.1f%% max %.1f%% of the machine, heap max %.1f MiB (%d samples)%s",
                    edge.cpuAvg() * 100, edge.cpuMax() * 100, edge.heapMaxBytes() / (1024 * 1024), edge.samples(),
                    edge.note() == null ? "" : "; " + edge.note());
        } else {
            line(b, "edge process      /metrics not readable%s", edge.note() == null ? "" : ": " + edge.note());
        }
        if (edge.conflations() >= 0) {
            line(b, "edge conflation   %d quotes replaced by a newer one before a lagging client took them, %d slow clients closed (during the window)",
                    edge.conflations(), edge.slowDisconnects());
        }
        if (!serverCloses.isEmpty()) {
            line(b, "server closes     %s (code -> count)", serverCloses);
        }
        if (!errorCodes.isEmpty()) {
            line(b, "error frames      %s", errorCodes);
        }
        return b.toString();
    }

    private static void group(StringBuilder b, String name, GroupResult g) {
        line(b, "%-17s %d clients: %d of %d = %.4f%%, %d duplicates dropped, %d snapshots, %d frames (%d batch_update), latency %s",
                name, g.clients(), g.delivered(), g.expected(), g.deliveryRate() * 100, g.duplicates(), g.snapshots(), g.frames(),
                g.batchFrames(), latencyText(g.latencyMs()));
    }

    private static String latencyText(LatencySummary l) {
        return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (n=%d)",
                l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.count());
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
