package io.stocktracker.loadgen.report;

import java.util.Map;

/** The arithmetic of "received / expected", kept apart from sockets so it is tested on its own. */
public final class DeliveryMath {
    private DeliveryMath() {}

    /**
     * Expected deliveries: every quote produced for a symbol inside the window, once per client subscribed
     * to that symbol. Symbols nobody subscribed to contribute nothing.
     */
    public static long expected(Map<String, Long> producedPerSymbol, Map<String, Integer> subscribersPerSymbol) {
        long total = 0;
        for (Map.Entry<String, Long> e : producedPerSymbol.entrySet()) {
            total += e.getValue() * subscribersPerSymbol.getOrDefault(e.getKey(), 0);
        }
        return total;
    }

    /** delivered / expected within 0..1; 0 when nothing was expected (a run that measured nothing must not pass). */
    public static double rate(long delivered, long expected) {
        if (expected <= 0) {
            return 0.0;
        }
        return Math.min(1.0, Math.max(0.0, (double) delivered / expected));
    }

    public static double perSecond(long count, double seconds) {
        return seconds <= 0 ? 0 : count / seconds;
    }
}
