package io.stocktracker.edge.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.BooleanSupplier;

/** The bridge's meters, all tagged {@code edge=<edgeId>} so several edges can share one registry. */
final class BridgeMetrics {
    final Counter consumed;
    final Counter published;
    final Counter publishFailures;
    final Counter reconnections;
    final Counter duplicatesDropped;
    final Counter malformedRedis;
    final Counter malformedKafka;
    final Counter deliveredFromRedis;
    final Counter deliveredFromKafka;
    final Counter deliveredFromBootstrap;
    final Counter deliveredFromCatchUp;
    final Counter listenerFailures;
    final Counter bootstrapRecords;
    final Counter symbolsRemoved;

    BridgeMetrics(MeterRegistry registry, String edgeId, LatestValueCache cache, BooleanSupplier redisUp) {
        Tags edge = Tags.of("edge", edgeId);
        consumed = Counter.builder("edge.kafka.records.consumed").tags(edge)
                .description("records the group consumer read from quotes.latest").register(registry);
        published = Counter.builder("edge.redis.published").tags(edge)
                .description("price_update messages published on market-data:updates").register(registry);
        publishFailures = Counter.builder("edge.redis.publish.failures").tags(edge)
                .description("updates and commands that did not reach Redis (down, timeout, error reply); redone once it is back").register(registry);
        reconnections = Counter.builder("edge.redis.reconnections").tags(edge)
                .description("times Redis came back (connected and resubscribed) after being down").register(registry);
        duplicatesDropped = Counter.builder("edge.updates.duplicates.dropped").tags(edge)
                .description("updates dropped because their seq was not newer than the last seen").register(registry);
        malformedRedis = Counter.builder("edge.updates.malformed").tags(edge.and("source", "redis"))
                .description("payloads that could not be decoded").register(registry);
        malformedKafka = Counter.builder("edge.updates.malformed").tags(edge.and("source", "kafka"))
                .description("payloads that could not be decoded").register(registry);
        deliveredFromRedis = delivered(registry, edge, "redis");
        deliveredFromKafka = delivered(registry, edge, "kafka");
        deliveredFromBootstrap = delivered(registry, edge, "bootstrap");
        deliveredFromCatchUp = delivered(registry, edge, "catchup");
        listenerFailures = Counter.builder("edge.updates.listener.failures").tags(edge)
                .description("exceptions thrown by the quote or control listener").register(registry);
        bootstrapRecords = Counter.builder("edge.cache.bootstrap.records").tags(edge)
                .description("records read from quotes.latest to build the latest-value cache").register(registry);
        symbolsRemoved = Counter.builder("edge.cache.symbols.removed").tags(edge)
                .description("symbols dropped from the cache by a tombstone on quotes.latest (evicted by streams-processor)").register(registry);
        Gauge.builder("edge.cache.symbols", cache, LatestValueCache::size).tags(edge)
                .description("symbols held in the latest-value cache").register(registry);
        // the lambda has no other owner: a weakly referenced gauge would read NaN after the next GC
        Gauge.builder("edge.redis.up", redisUp, up -> up.getAsBoolean() ? 1 : 0).tags(edge).strongReference(true)
                .description("1 when the Redis connections are up and subscribed").register(registry);
    }

    private static Counter delivered(MeterRegistry registry, Tags edge, String path) {
        return Counter.builder("edge.updates.delivered").tags(edge.and("path", path))
                .description("new updates handed to the fan-out, by the path they arrived on").register(registry);
    }
}
