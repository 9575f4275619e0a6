package io.stocktracker.edge.bridge;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions of a silent edge this edge relays until the group moves them (issue 15: a SIGKILLed edge's symbols
 * froze for the group's session timeout, 15 s).
 *
 * <p>Why not a shorter Kafka session: the classic protocol's floor is the broker's {@code group.min.session.timeout.ms}
 * (6 s by default, a broker-wide setting), the new protocol's {@code group.consumer.session.timeout.ms} defaults to
 * 45 s; and a false expiry there costs a rebalance of the whole group. Here a false alarm (a live edge stalled by GC
 * or a loaded host) only makes two edges publish the same quotes for a moment, which every edge drops by seq.
 *
 * <p>Every {@link BridgeConfig#relayHeartbeatInterval} each edge, on the bridge's scheduler: refreshes its alive key
 * ({@link #aliveKey}, PX {@code relayTakeoverAfter}); records the partitions the group gave it in the owners hash
 * ({@link #ownersKey}: partition -> edge id); reads the hash and which owners are still alive. A partition whose
 * owner's alive key has expired, and that the group has not given this edge, is an orphan (so is one the hash still
 * puts under this edge's name after the group took it away, when its new owner has not announced itself within
 * {@code relayTakeoverAfter}); of the live edges the one
 * that claims it ({@link #claimKey}, claim-or-renew with PX) relays it from the group's committed offset (so nothing
 * is skipped) until its owner is alive again or the group assigns it to someone, whose next heartbeat rewrites the
 * hash. The keys are per consumer group.
 */
final class RelayTakeover {
    private static final Logger log = LoggerFactory.getLogger(RelayTakeover.class);
    static final String PREFIX = "market-data:relay";
    /** Claim the key if free or ours, and (re)set its expiry; 1 when ours afterwards. */
    static final String CLAIM = """
            local v = redis.call('get', KEYS[1])
            if v == false or v == ARGV[1] then
              redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0""";

    private final BridgeConfig config;
    private final RedisLink link;
    private final Supplier<List<TopicPartition>> owned;
    private final SetArgs aliveFor;
    private final String ttlMillis;
    /**
     * Who this edge is in the keys: its id and a token of this start. An edge SIGKILLed and started again under the
     * same id (a replaced pod, the storm command) waits for the group until the dead member's session expires; under
     * the bare id it would keep its predecessor "alive" and own its partitions in the hash, so nobody relayed them.
     */
    private final String me;
    private volatile Set<Integer> relaying = Set.of();
    /**
     * Partitions the group took from this edge that the hash still puts under its name, since when (scheduler thread
     * only). The new owner normally announces itself at its next heartbeat; one that has not within
     * {@code relayTakeoverAfter} may not be able to publish (a restarted edge joins the group before its Redis link is
     * up), so this edge relays them like a silent edge's.
     */
    private final Map<Integer, Long> handedOverAt = new HashMap<>();

    RelayTakeover(BridgeConfig config, RedisLink link, Supplier<List<TopicPartition>> owned) {
        this.config = config;
        this.link = link;
        this.owned = owned;
        this.ttlMillis = String.valueOf(config.relayTakeoverAfter().toMillis());
        this.aliveFor = SetArgs.Builder.px(config.relayTakeoverAfter().toMillis());
        this.me = config.edgeId() + "#" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    static String ownersKey(String group) {
        return PREFIX + "-owners:" + group;
    }

    static String aliveKey(String group, String edgeId) {
        return PREFIX + "-alive:" + group + ":" + edgeId;
    }

    static String claimKey(String group, int partition) {
        return PREFIX + "-takeover:" + group + ":" + partition;
    }

    /** The partitions this edge relays for a silent edge (read by the relay thread). */
    Set<Integer> relaying() {
        return relaying;
    }

    /** One heartbeat and check; runs on the bridge's scheduler. Keeps the last answer while Redis does not give one. */
    void beat() {
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            return;
        }
        String group = config.consumerGroup();
        Duration wait = config.relayHeartbeatInterval();
        try {
            redis.set(aliveKey(group, me), "1", aliveFor);
            Set<Integer> mine = new HashSet<>();
            for (TopicPartition tp : owned.get()) {
                mine.add(tp.partition());
            }
            if (!mine.isEmpty()) {
                Map<String, String> fields = new HashMap<>();
                mine.forEach(p -> fields.put(String.valueOf(p), me));
                redis.hset(ownersKey(group), fields);
            }
            Map<String, String> owners = redis.hgetall(ownersKey(group)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            long now = System.nanoTime();
            Map<Integer, String> candidates = new HashMap<>();
            owners.forEach((partition, edge) -> {
                Integer p = partitionOf(partition);
                if (p != null && !mine.contains(p) && (!edge.equals(me) || unannouncedFor(p, now))) {
                    candidates.put(p, edge);
                }
            });
            handedOverAt.keySet().removeIf(p -> mine.contains(p) || !me.equals(owners.get(String.valueOf(p))));
            Set<Integer> next = new HashSet<>();
            if (!candidates.isEmpty()) {
                List<String> edges = new ArrayList<>(new HashSet<>(candidates.values()));
                Set<String> alive = new HashSet<>();
                for (KeyValue<String, String> kv : redis.mget(edges.stream().map(e -> aliveKey(group, e)).toArray(String[]::new))
                        .get(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (kv.hasValue()) {
                        alive.add(kv.getKey());
                    }
                }
                for (Map.Entry<Integer, String> c : candidates.entrySet()) {
                    if (!c.getValue().equals(me) && alive.contains(aliveKey(group, c.getValue()))) {
                        continue;
                    }
                    Long ours = redis.<Long>eval(CLAIM, ScriptOutputType.INTEGER, new String[] {claimKey(group, c.getKey())}, me,
                            ttlMillis).get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    if (ours != null && ours == 1) {
                        next.add(c.getKey());
                    }
                }
            }
            if (!next.equals(relaying)) {
                log.info("edge {}: relaying {} for silent edges (owners {}), until the group moves them", me, next, candidates);
            }
            relaying = Set.copyOf(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("edge {}: relay heartbeat failed: {}", me, e.toString());
        }
    }

    private boolean unannouncedFor(int partition, long now) {
        return now - handedOverAt.computeIfAbsent(partition, p -> now) >= config.relayTakeoverAfter().toNanos();
    }

    private static Integer partitionOf(String field) {
        try {
            return Integer.valueOf(field);
        } catch (NumberFormatException e) {
            return null; // not ours to interpret
        }
    }
}
