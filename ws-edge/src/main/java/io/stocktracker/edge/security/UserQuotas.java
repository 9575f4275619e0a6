package io.stocktracker.edge.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Limits per user (the token's {@code sub}): how many connections it may hold, and one message {@link RateLimiter}
 * bucket shared by all of its connections on this edge, so opening more tabs does not multiply a user's rate.
 * {@link #release} must follow every admitted {@link #acquireConnection}. Connections without a subject
 * (AUTH_MODE=none) are not counted here.
 *
 * <p>The connection cap is checked here first (cheap, this edge's own count), then by a {@link Cluster} (the count of
 * the user across every edge, {@link RedisUserConnections}). Each user has a lock that orders its admissions and
 * releases on this edge, so what the cluster is told is always this edge's true count, in order.
 *
 * <p>A user's bucket outlives its last connection by {@code bucketIdle}: reconnecting does not refill it.
 */
public final class UserQuotas {
    /** What an upgrade of an authenticated user gets. */
    public enum Admission {
        ADMITTED,
        /** This edge alone already holds the user's maximum. */
        REFUSED_ON_EDGE,
        /** The user's connections across all edges are at the maximum. */
        REFUSED_IN_CLUSTER;

        public boolean admitted() {
            return this == ADMITTED;
        }
    }

    /** The user's count across edges. Called with the user's lock held, so calls for one user never overlap. */
    public interface Cluster {
        enum Verdict { ADMITTED, REFUSED, UNAVAILABLE }

        /**
         * May this edge hold {@code newCount} connections of the user? Blocks at most a short timeout; UNAVAILABLE
         * (Redis down or slow) lets the edge's own cap decide.
         */
        Verdict tryAdmit(String subject, int newCount);

        /** This edge's count of the user changed (a release): record it without waiting. */
        void changed(String subject, int newCount);

        Cluster LOCAL = new Cluster() {
            @Override
            public Verdict tryAdmit(String subject, int newCount) {
                return Verdict.UNAVAILABLE;
            }

            @Override
            public void changed(String subject, int newCount) {
            }
        };
    }

    private final int maxConnectionsPerUser;
    private final double messageRatePerSecond;
    private final int messageBurst;
    private final long bucketIdleNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();
    private final AtomicInteger connectedUsers = new AtomicInteger();
    private final AtomicLong lastSweep = new AtomicLong();
    private volatile Cluster cluster = Cluster.LOCAL;

    private static final class User {
        final ReentrantLock lock = new ReentrantLock();
        final RateLimiter messages;
        int connections;
        long idleSince;
        boolean removed;

        User(RateLimiter messages, long now) {
            this.messages = messages;
            this.idleSince = now;
        }
    }

    /** Forgets a user (and its bucket) with its last connection. */
    public UserQuotas(int maxConnectionsPerUser, double messageRatePerSecond, int messageBurst, LongSupplier nanoClock) {
        this(maxConnectionsPerUser, messageRatePerSecond, messageBurst, 0, nanoClock);
    }

    /** @param bucketIdleNanos how long a user's message bucket is kept after its last connection closed ({@code USER_BUCKET_IDLE_MS}) */
    public UserQuotas(int maxConnectionsPerUser, double messageRatePerSecond, int messageBurst, long bucketIdleNanos,
                      LongSupplier nanoClock) {
        this.maxConnectionsPerUser = maxConnectionsPerUser;
        this.messageRatePerSecond = messageRatePerSecond;
        this.messageBurst = messageBurst;
        this.bucketIdleNanos = bucketIdleNanos;
        this.nanoClock = nanoClock;
    }

    /** Where the cluster-wide count is kept; {@link Cluster#LOCAL} (the default) means this edge's cap only. */
    public void useCluster(Cluster cluster) {
        this.cluster = cluster == null ? Cluster.LOCAL : cluster;
    }

    /**
     * This edge's cap first, then the cluster's (which may wait on Redis for a short, bounded time: call it from a
     * thread that may block, e.g. Jetty's request thread, never a selector or event loop).
     */
    public Admission acquireConnection(String subject) {
        if (subject == null) {
            return Admission.ADMITTED;
        }
        sweepIfDue();
        while (true) {
            User user = users.computeIfAbsent(subject,
                    k -> new User(new RateLimiter(messageRatePerSecond, messageBurst, nanoClock.getAsLong()), nanoClock.getAsLong()));
            user.lock.lock();
            try {
                if (user.removed) {
                    continue; // swept between the lookup and the lock: take the fresh entry
                }
                if (user.connections >= maxConnectionsPerUser) {
                    return Admission.REFUSED_ON_EDGE;
                }
                if (cluster.tryAdmit(subject, user.connections + 1) == Cluster.Verdict.REFUSED) {
                    return Admission.REFUSED_IN_CLUSTER;
                }
                if (user.connections++ == 0) {
                    connectedUsers.incrementAndGet();
                }
                return Admission.ADMITTED;
            } finally {
                user.lock.unlock();
            }
        }
    }

    public void release(String subject) {
        if (subject == null) {
            return;
        }
        User user = users.get(subject);
        if (user == null) {
            return;
        }
        user.lock.lock();
        try {
            if (user.removed || user.connections == 0) {
                return; // an extra release never goes negative
            }
            if (--user.connections == 0) {
                connectedUsers.decrementAndGet();
                user.idleSince = nanoClock.getAsLong();
                if (bucketIdleNanos <= 0) {
                    user.removed = true;
                    users.remove(subject, user);
                }
            }
            cluster.changed(subject, user.connections);
        } finally {
            user.lock.unlock();
        }
        sweepIfDue();
    }

    /** Takes one token from the user's shared bucket; true for a null subject or a user this edge does not know. */
    public boolean tryAcquireMessage(String subject, long nowNanos) {
        if (subject == null) {
            return true;
        }
        User user = users.get(subject);
        if (user == null) {
            return true;
        }
        // the bucket is shared by the user's connections, whose frames arrive on different Jetty threads; not the
        // user's lock, which an admission may hold while it waits on Redis
        synchronized (user.messages) {
            return user.messages.tryAcquire(nowNanos);
        }
    }

    /** Forgets users idle (no connection) for longer than the bucket idle time. Returns how many. */
    public int sweep() {
        long now = nanoClock.getAsLong();
        lastSweep.set(now);
        int removed = 0;
        for (Map.Entry<String, User> e : users.entrySet()) {
            User user = e.getValue();
            if (user.connections == 0 && now - user.idleSince >= bucketIdleNanos && user.lock.tryLock()) {
                try {
                    if (!user.removed && user.connections == 0 && now - user.idleSince >= bucketIdleNanos) {
                        user.removed = true;
                        users.remove(e.getKey(), user);
                        removed++;
                    }
                } finally {
                    user.lock.unlock();
                }
            }
        }
        return removed;
    }

    private void sweepIfDue() {
        long now = nanoClock.getAsLong();
        long last = lastSweep.get();
        long every = Math.max(TimeUnit.SECONDS.toNanos(1), bucketIdleNanos / 4);
        if (now - last >= every && lastSweep.compareAndSet(last, now)) {
            sweep();
        }
    }

    /** Users holding a connection here and how many (a snapshot taken without locks: for lease renewals). */
    public Map<String, Integer> connectedSnapshot() {
        Map<String, Integer> out = new HashMap<>();
        users.forEach((k, u) -> {
            int n = u.connections;
            if (n > 0) {
                out.put(k, n);
            }
        });
        return out;
    }

    /**
     * Hands each known user's count (0 included, for users that just left) to {@code write} under the user's lock, so
     * the write is ordered with the user's admissions and releases. A user whose lock stays busy (an admission
     * waiting on Redis) is skipped; returns false when any was.
     */
    public boolean forEachUserLocked(BiConsumer<String, Integer> write) {
        return forUsersLocked(users.keySet(), write);
    }

    /** {@link #forEachUserLocked} for these subjects only. */
    public boolean forUsersLocked(Collection<String> subjects, BiConsumer<String, Integer> write) {
        boolean complete = true;
        for (String subject : subjects) {
            User user = users.get(subject);
            if (user == null) {
                write.accept(subject, 0);
                continue;
            }
            try {
                if (!user.lock.tryLock(100, TimeUnit.MILLISECONDS)) {
                    complete = false;
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                write.accept(subject, user.removed ? 0 : user.connections);
            } finally {
                user.lock.unlock();
            }
        }
        return complete;
    }

    public int connections(String subject) {
        User u = users.get(subject);
        return u == null || u.removed ? 0 : u.connections;
    }

    /** Distinct subjects holding at least one connection on this edge. */
    public int users() {
        return connectedUsers.get();
    }

    /** Subjects this edge remembers: connected ones plus those whose bucket is kept after their last connection. */
    int remembered() {
        return users.size();
    }

    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }
}
