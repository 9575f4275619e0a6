package io.stocktracker.ingest.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one notification per symbol and code per interval, so a dead provider produces one error per
 * symbol every interval instead of one per cycle. The map is bounded: oldest entries go first.
 */
public final class ErrorThrottle {
    private static final int MAX_KEYS = 10_000;

    private final Duration interval;
    private final Map<String, Instant> lastSent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public ErrorThrottle(Duration interval) {
        this.interval = interval;
    }

    public synchronized boolean allow(String key, Instant now) {
        Instant last = lastSent.get(key);
        if (last != null && now.isBefore(last.plus(interval))) {
            return false;
        }
        lastSent.put(key, now);
        return true;
    }
}
