package io.stocktracker.edge.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections per client address and in total; {@link #release} must follow every successful acquire. The
 * address is {@code RequestOrigin.clientIp()}: the socket peer, or the client a trusted proxy forwards for (so behind
 * nginx the cap counts browsers, not nginx), in canonical text form (one key per address however it was spelled).
 * IPv6 clients are counted per network prefix ({@link AddressPrefix}): one host with a /64 is one client, not 2^64.
 */
public final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final int ipv6PrefixBits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    /** Counts every IPv6 address on its own (prefix 128). */
    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this(maxTotal, maxPerIp, 128);
    }

    /** @param ipv6PrefixBits IPv6 clients sharing this many leading bits share one per-IP count ({@code IPV6_CONNECTION_PREFIX}) */
    public ConnectionLimiter(int maxTotal, int maxPerIp, int ipv6PrefixBits) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.ipv6PrefixBits = ipv6PrefixBits;
        AddressPrefix.key("::1", ipv6PrefixBits); // validates the prefix length
    }

    /** Why an acquire failed matters to the client: its address is full (429) or the whole edge is (503). */
    public enum Outcome { ACQUIRED, ADDRESS_FULL, EDGE_FULL }

    public Outcome tryAcquire(String address) {
        String ip = AddressPrefix.key(address, ipv6PrefixBits);
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Outcome.EDGE_FULL;
        }
        // compute, not computeIfAbsent + increment: a release emptying the entry at the same time would detach it
        boolean[] ok = {false};
        perIp.compute(ip, (k, n) -> {
            AtomicInteger count = n != null ? n : new AtomicInteger();
            if (count.get() < maxPerIp) {
                count.incrementAndGet();
                ok[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        if (!ok[0]) {
            total.decrementAndGet();
            return Outcome.ADDRESS_FULL;
        }
        return Outcome.ACQUIRED;
    }

    public void release(String address) {
        String ip = AddressPrefix.key(address, ipv6PrefixBits);
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int total() {
        return total.get();
    }

    /** Connections counted for this address: with its whole IPv6 prefix. */
    int forIp(String address) {
        AtomicInteger n = perIp.get(AddressPrefix.key(address, ipv6PrefixBits));
        return n == null ? 0 : n.get();
    }
}
