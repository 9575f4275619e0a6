package io.stocktracker.ingest.leader;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.stocktracker.ingest.redis.LazyRedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election over one Redis key, so two connectors can run for availability while only one spends
 * the API keys. The leader took the key with {@code SET key id NX PX ttl} and renews it every third of
 * the TTL with a compare-and-renew script (only if the key still holds its id); a standby retries the
 * SET when the key is due to expire (PTTL), so it takes over within the TTL of the leader's last renewal.
 * A leader that cannot reach Redis stops leading before its lease can have expired ({@link Lease});
 * a graceful {@link #close} deletes the key if it is still ours (compare-and-delete), so the standby
 * takes over at its next try instead of after the TTL.
 *
 * <p>A Redis restart loses the key (no persistence). The leader then takes it again with {@code SET NX},
 * but only while its lease is still valid by its own clock: nobody else can have been granted a lease
 * that overlaps ours before it ran out, and NX fails if someone already took the empty key. A standby that
 * wins the empty key first waits until the lease it last saw held by someone else ran out (its PTTL)
 * before leading, so the two never overlap. A failed renewal is retried every {@link #retryPeriod} rather
 * than a third of the TTL, so a blip shorter than the lease's margin costs no fetching; and the moment the
 * lease runs out is watched on its own thread, so a leader that stops says so when it stops, not at its
 * next (possibly blocked) Redis call.
 *
 * <p>With Redis unreachable nobody leads: exclusivity is the point, and an instance that cannot see the
 * key cannot know it is alone. A single instance that should fetch through a Redis outage runs with
 * INGEST_LEADER_ELECTION=false instead. Uses its own connection so the subscription link's reconnects
 * and the lease's deadlines do not wait on each other.
 */
public final class LeaderElector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

    static final String RENEW = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('pexpire', KEYS[1], ARGV[2])
            end
            return 0""";
    static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0""";

    private final LazyRedisConnection redis;
    private final String key;
    private final String instanceId;
    private final Duration ttl;
    private final Lease lease;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService executor;
    /** Logs a stop at the moment the lease runs out, even while {@link #executor} waits on Redis. */
    private final ScheduledExecutorService expiryWatch;
    /** Monotonic time before which a key won by SET NX may not be used: someone else's lease could still be trusted. */
    private volatile long fenceUntil;
    private volatile String holder;
    private volatile boolean reachable;
    private volatile boolean closed;
    private boolean wasLeading;
    /** The on-leading action ran for the current term: until then the lease is ours but fetching waits. */
    private volatile boolean handedOver;
    private volatile Runnable onLeading = () -> { };

    public LeaderElector(String redisUrl, String key, String instanceId, Duration ttl) {
        this.key = key;
        this.instanceId = instanceId;
        this.ttl = ttl;
        this.lease = new Lease(ttl);
        this.nanoTime = System::nanoTime;
        this.fenceUntil = nanoTime.getAsLong();
        // a command must give up well before the next renewal is due, or a slow Redis eats the margin
        Duration commandTimeout = Duration.ofMillis(Math.max(100, Math.min(ttl.toMillis() / 3, 2_000)));
        this.redis = new LazyRedisConnection(redisUrl, commandTimeout);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-leader");
            t.setDaemon(true);
            return t;
        });
        this.expiryWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-leader-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    /** How soon a renewal that got no answer is tried again: often enough to land inside the margin after a blip. */
    static long retryPeriod(Duration ttl) {
        return Math.max(50, Math.min(1_000, ttl.toMillis() / 12));
    }

    /**
     * Tries for the lease (waiting for that first answer, so a lone instance leads from its first cycle),
     * then keeps renewing or watching it in the background.
     */
    public void start() {
        try {
            executor.submit(this::tick).get(ttl.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("first try for the leader lease did not finish ({}); retrying in the background", e.toString());
        }
    }

    /** Runs on the elector's thread each time this instance becomes the leader, before {@link #isLeader} turns true. */
    public void onLeading(Runnable action) {
        this.onLeading = action;
    }

    /**
     * True while this instance holds a lease it may still trust and has taken over (the on-leading action, e.g.
     * reading what the previous leader spent, has run): fetch only then.
     */
    public boolean isLeader() {
        return handedOver && holdsLease();
    }

    private boolean holdsLease() {
        long now = nanoTime.getAsLong();
        return lease.holds(now) && fenceOpen(now);
    }

    private boolean fenceOpen(long now) {
        return now - fenceUntil >= 0;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Who held the key when we last looked (ourselves when leading); empty when nobody or unknown. */
    public Optional<String> holder() {
        return isLeader() ? Optional.of(instanceId) : Optional.ofNullable(holder);
    }

    public boolean redisReachable() {
        return reachable;
    }

    public Duration ttl() {
        return ttl;
    }

    private void tick() {
        if (closed) {
            return;
        }
        long next = ttl.toMillis() / 3;
        try {
            RedisCommands<String, String> redis = commands();
            long sentAt = nanoTime.getAsLong();
            if (lease.claimed()) {
                Long renewed = redis.eval(RENEW, ScriptOutputType.INTEGER, new String[] {key}, instanceId, String.valueOf(ttl.toMillis()));
                if (renewed != null && renewed == 1) {
                    granted(sentAt);
                } else if (lease.holds(sentAt) && "OK".equals(redis.set(key, instanceId, SetArgs.Builder.nx().px(ttl.toMillis())))) {
                    // the key vanished (Redis restarted without it) while our lease was still good: nobody else can
                    // hold a lease overlapping ours, and NX made sure nobody took the empty key first
                    granted(sentAt);
                    log.info("{} took the leader lease {} again after it vanished from Redis; fetching continues", instanceId, key);
                } else {
                    lease.lost();
                    holder = null;
                    next = 0; // see who has it now
                }
            } else if ("OK".equals(redis.set(key, instanceId, SetArgs.Builder.nx().px(ttl.toMillis())))) {
                granted(sentAt);
                long wait = fenceRemainingMillis(sentAt);
                if (wait > 0) {
                    log.info("{} won the leader lease {} but waits {} ms: the lease {} held may still be trusted until then",
                            instanceId, key, wait, holder);
                    next = Math.min(next, wait + 1);
                }
            } else {
                holder = redis.get(key);
                Long pttl = redis.pttl(key);
                // wake up when the holder's lease is due to run out: takeover within the TTL of its last renewal
                if (pttl != null && pttl >= 0) {
                    next = Math.min(next, pttl + 10);
                    fence(sentAt + TimeUnit.MILLISECONDS.toNanos(pttl));
                } else if (pttl != null) {
                    next = 0; // gone (or without expiry, which only a hand-made key has): try at once
                }
            }
            reachable = true;
        } catch (RuntimeException e) {
            if (reachable || !lease.claimed()) {
                log.debug("leader lease: Redis not answering ({})", e.toString());
            }
            reachable = false;
            if (lease.claimed()) {
                next = retryPeriod(ttl);
            }
        }
        logTransition(true);
        try {
            if (!closed) {
                executor.schedule(this::tick, Math.max(next, 1), TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void granted(long sentAt) {
        lease.granted(sentAt);
        long remaining = lease.remainingNanos(nanoTime.getAsLong());
        try {
            expiryWatch.schedule(() -> logTransition(false), Math.max(0, remaining) + 1_000_000, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** The holder we saw may trust its lease until {@code until} at most (its key's PTTL when we looked). */
    private void fence(long until) {
        if (until - fenceUntil > 0) {
            fenceUntil = until;
        }
    }

    private long fenceRemainingMillis(long now) {
        return TimeUnit.NANOSECONDS.toMillis(fenceUntil - now);
    }

    /** Runs on the elector's thread after each tick, and on the expiry watch when a lease is due to run out. */
    private synchronized void logTransition(boolean mayTakeOver) {
        boolean leading = holdsLease();
        if (leading && !wasLeading && !mayTakeOver) {
            return; // taking over (and its on-leading action) belongs to the elector's thread; the watch only notices a stop
        }
        if (leading && !wasLeading) {
            holder = instanceId;
            log.info("{} holds the leader lease {}: fetching quotes", instanceId, key);
            try {
                onLeading.run();
            } catch (RuntimeException e) {
                log.warn("on-leading action failed", e);
            }
            handedOver = true;
        } else if (!leading && wasLeading) {
            handedOver = false;
            log.warn("{} no longer holds the leader lease {} ({}): stopped fetching", instanceId, key,
                    lease.claimed() ? "could not renew it in time" : "the key no longer holds our id");
        }
        wasLeading = leading;
    }

    private RedisCommands<String, String> commands() {
        return redis.sync();
    }

    /** Stops renewing and releases the lease if it is still ours, so a standby takes over at once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownExecutor();
        boolean held = lease.claimed();
        lease.lost();
        if (held && redis.isOpen()) {
            try {
                Long deleted = redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, instanceId);
                if (deleted != null && deleted == 1) {
                    log.info("{} released the leader lease {}", instanceId, key);
                }
            } catch (RuntimeException e) {
                log.warn("could not release the leader lease {} ({}); it expires within {} ms", key, e.toString(), ttl.toMillis());
            }
        }
        dropConnection();
    }

    /** Stops renewing and drops the connection without releasing: what a killed process leaves behind. */
    void halt() {
        closed = true;
        shutdownExecutor();
        lease.lost();
        dropConnection();
    }

    private void shutdownExecutor() {
        expiryWatch.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dropConnection() {
        redis.close();
    }
}
