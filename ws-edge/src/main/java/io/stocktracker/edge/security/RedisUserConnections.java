package io.stocktracker.edge.security;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.kit.redis.ManagedRedisClient;
import io.stocktracker.schemas.contract.Channels;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code MAX_CONNECTIONS_PER_USER} across every edge sharing one Redis.
 *
 * <p><b>Layout.</b> One HASH per user, {@link Channels#userConnectionsKey} ({@code market-data:user-connections:{sub}}),
 * one field per edge id holding {@code "count:leaseUntilMs"}. Every admission runs one Lua script on that key: it drops
 * fields whose lease has passed, sums the others and writes this edge's new count only if the total stays within the
 * maximum. Redis runs scripts one at a time, so two edges racing for the last slot cannot both win. The lease and the
 * clock are Redis's own ({@code TIME}), so edges with skewed clocks agree.
 *
 * <p><b>Why leases per field, not a counter.</b> A crashed edge never decrements. Each edge renews the leases of its
 * own fields (and the key's TTL) every third of {@code USER_CONNECTIONS_TTL_MS}; a dead edge's fields stop counting
 * when their lease passes and the key expires once no live edge holds it, with no registry of live edges to keep.
 * Writes carry this edge's absolute count, not a delta, taken under the user's lock in {@link UserQuotas}: a lost
 * write is repaired by the next one, and a full rewrite ({@link #resync}) restores everything after Redis restarts
 * empty or comes back from an outage.
 *
 * <p><b>Redis down or slow.</b> The check answers UNAVAILABLE and the edge's own cap decides (fail open to the local
 * limit, never refuse everybody); counted in {@code stocktracker_edge_user_cluster_fallbacks_total}, logged once per
 * outage. The admission waits for Redis on Jetty's request thread (the servlet upgrade path, not the selector), at
 * most {@code USER_CONNECTIONS_CHECK_TIMEOUT_MS}, and not at all while Redis is known to be down.
 */
public final class RedisUserConnections implements UserQuotas.Cluster, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisUserConnections.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int HEARTBEAT_BATCH = 500;

    /** Redis time in ms, and a field's lease, shared by every script. */
    private static final String PRELUDE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function keep(key, ttl)
              if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
            end
            """;
    /** KEYS[1] user hash; ARGV edge, new count, max, ttl ms. Returns {1 admitted | 0 refused, total of the others}. */
    private static final String ADMIT = PRELUDE + """
            local others = 0
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              if fields[i] ~= ARGV[1] then
                local n, lease = string.match(fields[i + 1], '^(%d+):(%d+)$')
                if n == nil or tonumber(lease) < now then
                  redis.call('HDEL', KEYS[1], fields[i])
                else
                  others = others + tonumber(n)
                end
              end
            end
            if others + tonumber(ARGV[2]) > tonumber(ARGV[3]) then return {0, others} end
            local ttl = tonumber(ARGV[4])
            redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%.0f', tonumber(ARGV[2]), now + ttl))
            keep(KEYS[1], ttl)
            return {1, others}""";
    /** KEYS[1] user hash; ARGV edge, count, ttl ms: this edge's absolute count (0 removes the field). */
    private static final String WRITE = PRELUDE + """
            local n = tonumber(ARGV[2])
            if n <= 0 then return redis.call('HDEL', KEYS[1], ARGV[1]) end
            local ttl = tonumber(ARGV[3])
            redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%.0f', n, now + ttl))
            keep(KEYS[1], ttl)
            return 1""";
    /**
     * KEYS user hashes; ARGV edge, ttl ms. Renews the lease of this edge's field in each, keeping its count (counts are
     * only written under the user's lock). Returns the 1-based indexes of keys where the field was missing.
     */
    private static final String RENEW = PRELUDE + """
            local ttl = tonumber(ARGV[2])
            local missing = {}
            for i = 1, #KEYS do
              local v = redis.call('HGET', KEYS[i], ARGV[1])
              local n = v and string.match(v, '^(%d+):')
              if n then
                redis.call('HSET', KEYS[i], ARGV[1], string.format('%d:%.0f', tonumber(n), now + ttl))
                keep(KEYS[i], ttl)
              else
                missing[#missing + 1] = i
              end
            end
            return missing""";

    private final String edgeId;
    private final String redisUrl;
    private final UserQuotas quotas;
    private final int maxPerUser;
    private final Duration ttl;
    private final Duration checkTimeout;
    private final ScheduledExecutorService scheduler;
    private final ManagedRedisClient redis;
    private final RedisClient client;

    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean connected;
    /** False after a failed command until one succeeds: checks skip Redis meanwhile. */
    private volatile boolean healthy = true;
    /** Redis may not hold this edge's true counts (a write failed or was skipped): rewrite them all. */
    private volatile boolean dirty;
    private final AtomicBoolean outageLogged = new AtomicBoolean();
    private volatile boolean closed;

    private final Counter fallbacks;
    private final Counter refusals;
    private final Counter resyncs;

    private RedisUserConnections(String edgeId, String redisUrl, UserQuotas quotas, Duration ttl, Duration checkTimeout,
                                 Duration maxBackoff, MeterRegistry registry) {
        this.edgeId = edgeId;
        this.redisUrl = redisUrl;
        this.quotas = quotas;
        this.maxPerUser = quotas.maxConnectionsPerUser();
        this.ttl = ttl;
        this.checkTimeout = checkTimeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-user-connections-" + edgeId);
            t.setDaemon(true);
            return t;
        });
        this.redis = new ManagedRedisClient(redisUrl, "ws-edge-users:" + edgeId, 1, CONNECT_TIMEOUT, WRITE_TIMEOUT, maxBackoff);
        this.client = redis.client();
        fallbacks = Counter.builder("stocktracker.edge.user.cluster.fallbacks")
                .description("per-user connection checks decided by this edge's own cap because Redis was unreachable or slow")
                .register(registry);
        refusals = Counter.builder("stocktracker.edge.user.cluster.refusals")
                .description("upgrades refused because the user holds MAX_CONNECTIONS_PER_USER across all edges")
                .register(registry);
        resyncs = Counter.builder("stocktracker.edge.user.cluster.resyncs")
                .description("full rewrites of this edge's per-user counts (after a Redis outage or data loss)")
                .register(registry);
        Gauge.builder("stocktracker.edge.user.cluster.redis.up", this, c -> c.usable() ? 1 : 0)
                .description("1 while the cluster-wide per-user cap is enforced through Redis, 0 while each edge's own cap applies")
                .register(registry);
    }

    /**
     * Connects in the background (an edge may start before Redis), attaches itself to {@code quotas} and renews this
     * edge's leases every third of {@code ttl}.
     */
    public static RedisUserConnections start(String edgeId, String redisUrl, UserQuotas quotas, Duration ttl,
                                             Duration checkTimeout, Duration maxBackoff, MeterRegistry registry) {
        RedisUserConnections c = new RedisUserConnections(edgeId, redisUrl, quotas, ttl, checkTimeout, maxBackoff, registry);
        quotas.useCluster(c);
        c.redis.connectInBackground(c.scheduler, () -> c.closed, c::connect, (e, delayMillis, attempt) -> c.logOutage(e.getMessage()));
        long every = Math.max(100, ttl.toMillis() / 3);
        c.scheduler.scheduleWithFixedDelay(c::heartbeat, every, every, TimeUnit.MILLISECONDS);
        return c;
    }

    /** The cluster-wide cap is in force (connected, and the last command succeeded). */
    private boolean usable() {
        return connected && healthy && !closed;
    }

    @Override
    public Verdict tryAdmit(String subject, int newCount) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !usable()) {
            fallback(null);
            return Verdict.UNAVAILABLE;
        }
        try {
            List<Object> r = c.async().<List<Object>>eval(ADMIT, ScriptOutputType.MULTI, new String[] {Channels.userConnectionsKey(subject)},
                    edgeId, String.valueOf(newCount), String.valueOf(maxPerUser), String.valueOf(ttl.toMillis()))
                    .get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
            succeeded();
            if (((Long) r.get(0)) == 1L) {
                return Verdict.ADMITTED;
            }
            refusals.increment();
            log.debug("edge {}: {} refused: {} connections on other edges", edgeId, subject, r.get(1));
            return Verdict.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fallback(e);
            return Verdict.UNAVAILABLE;
        } catch (Exception e) {
            // a timed-out admission may still run in Redis: it wrote this very count, which the edge now holds too
            fallback(e instanceof TimeoutException ? new TimeoutException("no answer within " + checkTimeout.toMillis() + " ms") : e);
            return Verdict.UNAVAILABLE;
        }
    }

    @Override
    public void changed(String subject, int newCount) {
        if (!write(subject, newCount)) {
            dirty = true;
        }
    }

    /** Dispatches this edge's absolute count of one user; false when Redis is not usable (nothing sent). */
    private boolean write(String subject, int count) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !connected || closed) {
            return false;
        }
        c.async().eval(WRITE, ScriptOutputType.INTEGER, new String[] {Channels.userConnectionsKey(subject)},
                edgeId, String.valueOf(count), String.valueOf(ttl.toMillis())).whenComplete((ok, error) -> {
                    if (error != null) {
                        dirty = true;
                        failed(error);
                    }
                });
        return true;
    }

    /** Renews this edge's leases; rewrites everything when dirty, and the users whose field was gone. */
    private void heartbeat() {
        try {
            quotas.sweep();
            StatefulRedisConnection<String, String> c = connection;
            if (c == null || !connected || closed) {
                return;
            }
            if (!healthy) {
                c.async().ping().get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // throws while Redis is still out
            }
            if (dirty) {
                resync();
                succeeded();
                return;
            }
            List<String> subjects = new ArrayList<>(quotas.connectedSnapshot().keySet());
            List<String> missing = new ArrayList<>();
            for (int from = 0; from < subjects.size(); from += HEARTBEAT_BATCH) {
                List<String> batch = subjects.subList(from, Math.min(subjects.size(), from + HEARTBEAT_BATCH));
                List<Object> gone = c.async().<List<Object>>eval(RENEW, ScriptOutputType.MULTI,
                        batch.stream().map(Channels::userConnectionsKey).toArray(String[]::new),
                        edgeId, String.valueOf(ttl.toMillis())).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                for (Object index : gone) {
                    missing.add(batch.get(((Long) index).intValue() - 1));
                }
            }
            succeeded();
            if (!missing.isEmpty()) {
                // expired while this edge was slow, or Redis lost them: write the true counts back
                log.info("edge {}: {} user connection counts were missing in Redis; writing them back", edgeId, missing.size());
                if (!quotas.forUsersLocked(missing, this::write)) {
                    dirty = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            dirty = true;
            failed(e);
        } catch (Error e) {
            log.error("edge {}: user connection heartbeat failed", edgeId, e);
        }
    }

    /** Rewrites this edge's count of every user it knows (0 removes stale fields of users that left meanwhile). */
    private void resync() {
        dirty = false;
        resyncs.increment();
        Map<String, Integer> before = quotas.connectedSnapshot();
        boolean complete = quotas.forEachUserLocked((subject, n) -> {
            if (!write(subject, n)) {
                dirty = true;
            }
        });
        if (!complete) {
            dirty = true;
        }
        if (!before.isEmpty()) {
            log.info("edge {}: re-published connection counts of {} users to Redis", edgeId, before.size());
        }
    }

    private void fallback(Throwable cause) {
        fallbacks.increment();
        dirty = true; // the edge may admit what Redis does not know of
        if (cause != null) {
            failed(cause);
        } else {
            logOutage("Redis unreachable");
        }
    }

    private void failed(Throwable cause) {
        healthy = false;
        logOutage(cause.toString());
    }

    private void succeeded() {
        if (!healthy) {
            healthy = true;
        }
        if (outageLogged.compareAndSet(true, false)) {
            log.info("edge {}: Redis answers again; MAX_CONNECTIONS_PER_USER ({}) counts across edges again", edgeId, maxPerUser);
        }
    }

    private void logOutage(String why) {
        if (!closed && outageLogged.compareAndSet(false, true)) {
            log.warn("edge {}: per-user connection counts cannot reach Redis ({}); until it answers, MAX_CONNECTIONS_PER_USER "
                    + "({}) applies per edge", edgeId, why, maxPerUser);
        }
    }

    /** Retried by {@link #start} until it does not throw. */
    private void connect() {
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> ch, SocketAddress address) {
                connected = true;
                runSoon(RedisUserConnections.this::afterReconnect);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> ch) {
                connected = false;
                healthy = false; // usable again only once the counts are written back (afterReconnect)
                logOutage("connection lost");
            }
        });
        connection = c;
        connected = true;
        dirty = true; // the first heartbeat writes whatever was admitted locally before Redis answered
        runSoon(this::afterReconnect);
    }

    /** Connected again: one command proves Redis answers, then the whole state is written back. */
    private void afterReconnect() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || closed) {
            return;
        }
        try {
            c.async().ping().get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            resync();
            succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            dirty = true;
            failed(e);
        }
    }

    private void runSoon(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Removes this edge's fields (its connections are gone or about to be) and disconnects. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        scheduler.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null && connected) {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            quotas.forEachUserLocked((subject, n) -> pending.add(c.async().hdel(Channels.userConnectionsKey(subject), edgeId)
                    .toCompletableFuture()));
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("edge {}: could not remove its user connection counts ({}); they expire within {} ms", edgeId,
                        e.toString(), ttl.toMillis());
            }
        }
        closed = true;
        shutdownClient();
    }

    private void shutdownClient() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("closing the Redis connection", e);
            }
        }
        redis.close();
    }

    @Override
    public String toString() {
        return "RedisUserConnections[" + edgeId + " -> " + Redact.url(redisUrl) + ", max " + maxPerUser + ", ttl " + ttl.toMillis() + " ms]";
    }
}
