package io.stocktracker.edge.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections per client address and in total; {@link #release} must follow every successful acquire. The
 * address is {@code RequestOrigin.clientIp()}: the socket peer, or the client a trusted proxy forwards for (so behind
 * nginx the cap counts browsers, not nginx), in canonical text form (one key per address however it was spelled).
 */
public final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    public boolean tryAcquire(String ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerIp) {
            n.decrementAndGet();
            total.decrementAndGet();
            return false;
        }
        return true;
    }

    public void release(String ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int total() {
        return total.get();
    }

    public int forIp(String ip) {
        AtomicInteger n = perIp.get(ip);
        return n == null ? 0 : n.get();
    }
}
