package io.stocktracker.edge.bridge;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This edge's interest in symbols, as ingest sees it: each 0->1 / 1->0 transition is announced on
 * market-data:subscriptions and applied to the per-edge SET {@code market-data:active-symbols:{edgeId}},
 * whose TTL a heartbeat refreshes so that a dead edge's interest expires on its own. Pub/sub is
 * fire-and-forget and Redis may restart empty, so the full set is kept here and written back (and
 * announced again) whenever Redis returns or the key is found missing.
 */
final class ActiveSymbols {
    private static final Logger log = LoggerFactory.getLogger(ActiveSymbols.class);
    /** Replace the set atomically, so ingest never reads it half-written: DEL, SADD each, PEXPIRE. */
    private static final String REWRITE = """
            redis.call('DEL', KEYS[1])
            for i = 2, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
            if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return #ARGV - 1""";

    private final String edgeId;
    private final String key;
    private final Duration ttl;
    private final RedisLink link;
    private final ScheduledExecutorService scheduler;
    private final BridgeMetrics metrics;

    private final Set<String> current = new LinkedHashSet<>();
    /** Symbols whose unsubscribe could not be announced (Redis down): announced at the next resync. */
    private final Set<String> unannounced = new LinkedHashSet<>();
    /** A command failed: the Redis key or the channel may not reflect {@link #current}. */
    private boolean dirty;

    ActiveSymbols(BridgeConfig config, RedisLink link, ScheduledExecutorService scheduler, BridgeMetrics metrics) {
        this.edgeId = config.edgeId();
        this.key = Channels.activeSymbolsKey(config.edgeId());
        this.ttl = config.activeSymbolsTtl();
        this.link = link;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    void startHeartbeat(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::heartbeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized Set<String> current() {
        return Set.copyOf(current);
    }

    synchronized void change(Action action, Collection<String> symbols) {
        List<String> changed = new ArrayList<>();
        for (String s : symbols) {
            if (s != null && !s.isBlank() && (action == Action.subscribe ? current.add(s) : current.remove(s))) {
                changed.add(s);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        if (action == Action.subscribe) {
            unannounced.removeAll(changed);
        }
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            metrics.publishFailures.increment(); // written back by resync() once Redis is up
            markDirty(action, changed);
            return;
        }
        // one connection, dispatched under this lock: Redis applies the changes in the order they happened
        watch(redis.publish(Channels.SUBSCRIPTIONS, JsonCodec.toJson(SubscriptionChange.of(action, changed, edgeId))), action, changed);
        String[] members = changed.toArray(String[]::new);
        if (action == Action.subscribe) {
            watch(redis.sadd(key, members), action, changed);
            watch(redis.pexpire(key, ttl.toMillis()), action, changed);
        } else {
            watch(redis.srem(key, members), action, changed);
        }
    }

    /** Refreshes the TTL; a missing key (expired during an outage, or Redis restarted empty) is rewritten. */
    void heartbeat() {
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            return;
        }
        boolean rewrite;
        synchronized (this) {
            if (!dirty && current.isEmpty()) {
                return;
            }
            rewrite = dirty;
        }
        if (rewrite) {
            resync();
            return;
        }
        redis.pexpire(key, ttl.toMillis()).whenComplete((refreshed, error) -> {
            if (error != null) {
                metrics.publishFailures.increment();
                synchronized (this) {
                    dirty = true;
                }
            } else if (!Boolean.TRUE.equals(refreshed)) {
                log.info("edge {}: {} was gone, writing it back", edgeId, key);
                scheduler.execute(this::resync);
            }
        });
    }

    /** Writes the whole set back and announces it again (plus unsubscribes that could not be announced). */
    synchronized void resync() {
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            dirty = true;
            return;
        }
        dirty = false;
        List<String> args = new ArrayList<>(current.size() + 1);
        args.add(String.valueOf(ttl.toMillis()));
        args.addAll(current);
        List<String> all = List.copyOf(current);
        watch(redis.eval(REWRITE, ScriptOutputType.INTEGER, new String[] {key}, args.toArray(String[]::new)), Action.subscribe, List.of());
        if (!all.isEmpty()) {
            watch(redis.publish(Channels.SUBSCRIPTIONS, JsonCodec.toJson(SubscriptionChange.of(Action.subscribe, all, edgeId))),
                    Action.subscribe, List.of());
        }
        if (!unannounced.isEmpty()) {
            List<String> gone = List.copyOf(unannounced);
            unannounced.clear();
            watch(redis.publish(Channels.SUBSCRIPTIONS, JsonCodec.toJson(SubscriptionChange.of(Action.unsubscribe, gone, edgeId))),
                    Action.unsubscribe, gone);
        }
    }

    /** Removes this edge's key and announces the end of its remaining interest; waits briefly for both. */
    void close() {
        List<String> remaining;
        synchronized (this) {
            remaining = List.copyOf(current);
            current.clear();
            unannounced.clear();
            dirty = false;
        }
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            log.warn("edge {}: Redis is down at shutdown; {} will expire within {}", edgeId, key, ttl);
            return;
        }
        // waited for outside the lock: the replies are read on the Redis event loop, which may need it
        try {
            var del = redis.del(key);
            var announce = remaining.isEmpty() ? null
                    : redis.publish(Channels.SUBSCRIPTIONS, JsonCodec.toJson(SubscriptionChange.of(Action.unsubscribe, remaining, edgeId)));
            del.get(2, TimeUnit.SECONDS);
            if (announce != null) {
                announce.get(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            metrics.publishFailures.increment();
            log.warn("edge {}: could not remove {} at shutdown ({}); it will expire within {}", edgeId, key, e.getMessage(), ttl);
        }
    }

    private void watch(CompletionStage<?> command, Action action, List<String> symbols) {
        command.whenComplete((ok, error) -> {
            if (error != null) {
                metrics.publishFailures.increment();
                log.debug("edge {}: active-symbols command failed: {}", edgeId, error.toString());
                synchronized (this) {
                    markDirty(action, symbols);
                }
            }
        });
    }

    private void markDirty(Action action, List<String> symbols) {
        dirty = true;
        if (action == Action.unsubscribe) {
            for (String s : symbols) {
                if (!current.contains(s)) {
                    unannounced.add(s);
                }
            }
        }
    }
}
