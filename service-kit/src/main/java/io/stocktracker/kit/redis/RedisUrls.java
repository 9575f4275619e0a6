package io.stocktracker.kit.redis;

import io.stocktracker.kit.logging.Redact;

/** The one rule for a Redis address every service reads. */
public final class RedisUrls {
    private RedisUrls() {
    }

    /** The problem with {@code url} for key {@code key}, or null when it is a redis:// or rediss:// URL. */
    public static String problem(String key, String url) {
        return url != null && (url.startsWith("redis://") || url.startsWith("rediss://")) ? null
                : key + " must look like redis://host:port (or rediss:// for TLS), got '" + Redact.url(url) + "'";
    }
}
