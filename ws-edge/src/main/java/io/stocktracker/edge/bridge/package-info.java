/**
 * The edge's Kafka/Redis bridge: how quotes reach this edge's listeners, and how this edge's interest
 * reaches ingest. {@link io.stocktracker.edge.bridge.EdgeBridge} wires the parts; edge-core only sees
 * {@code EdgeBridge}, {@link io.stocktracker.edge.bridge.LatestValueCache} and the two listener interfaces.
 *
 * <h2>Data path</h2>
 * <pre>
 *  quotes.latest --(group "ws-edge", this edge's partitions, read_committed)--> QuoteRelay
 *      QuoteRelay: serialize price_update once -> PUBLISH market-data:updates + SET quote:{SYMBOL} PX ttl
 *                  (one pipeline per poll) -> wait for the replies -> commit
 *  market-data:updates --(SUBSCRIBE, every edge)--> cache.offer(seq) --new?--> QuoteListener(quote, received bytes)
 *  market-data:control --> ControlListener (target "*" or this edge)
 * </pre>
 *
 * <h2>Guarantees and failure modes</h2>
 * <ul>
 *   <li><b>Exactly once per edge, in order.</b> Every path (Redis, bootstrap, direct delivery, catch-up)
 *       goes through {@code LatestValueCache.offer}, under one lock with the listener call: a seq is
 *       delivered once, never after a higher one.</li>
 *   <li><b>At least once toward Redis.</b> Offsets are committed only after the poll's PUBLISHes were
 *       acknowledged; partitions that move to another edge are committed in the revoke callback. A
 *       record that could not be published pins its partition's commit point, so the next owner (or this
 *       edge once Redis is back) publishes it again. Duplicates are dropped by seq downstream.</li>
 *   <li><b>Redis down.</b> Lettuce (commands, publisher) and the kit's BlockingSubscriber (pub/sub) reconnect
 *       by the one backoff rule (capped by {@code redisReconnectMaxBackoff}), the subscriber resubscribing;
 *       commands fail fast meanwhile
 *       ({@code REJECT_COMMANDS}). The edge reports {@code redisUp() == false} (so not ready) and its
 *       relay hands its own partitions' quotes straight to the listener. When Redis is back: the
 *       active-symbols set is rewritten and re-announced, the relay republishes what only went to local
 *       clients, and {@link io.stocktracker.edge.bridge.CatchUpReader} reads back from quotes.latest
 *       what other edges published while this edge was not subscribed (pub/sub keeps nothing).</li>
 *   <li><b>Redis not there at start.</b> The first connection is retried with the same backoff; the
 *       edge bootstraps, joins the group and serves its partitions meanwhile.</li>
 *   <li><b>quotes.latest missing.</b> Nothing is created (streams-processor owns the topic and its
 *       compaction). The bootstrap waits a grace period, then reports ready with an empty cache; the
 *       group consumer picks the topic up when it appears (metadata refreshed every 5 s).</li>
 *   <li><b>This edge stops or dies.</b> {@code close()} commits what was published and leaves the group, so
 *       the partitions move at once and the next owner starts at the commit. A crashed edge stays a member
 *       until {@code sessionTimeout} passes without its heartbeat ({@code groupHeartbeatInterval}); meanwhile
 *       another edge relays its partitions from the group's last commit once its Redis relay heartbeat has
 *       been silent for {@code relayTakeoverAfter} ({@link io.stocktracker.edge.bridge.RelayTakeover},
 *       {@link io.stocktracker.edge.bridge.TakeoverConsumer}), then the next owner republishes from that commit
 *       (what was already published is dropped by seq). Operator settings: KAFKA_SESSION_TIMEOUT_MS,
 *       KAFKA_HEARTBEAT_INTERVAL_MS, RELAY_TAKEOVER_AFTER_MS; docs/OPERATIONS.md has the timeline.</li>
 *   <li><b>Malformed input</b> (on either channel or in the topic; on a channel also anything over
 *       {@code ChannelMessages.MAX_PAYLOAD_BYTES}) is counted ({@code edge.updates.malformed}) and logged
 *       (rate-limited), never thrown into the I/O threads.</li>
 *   <li><b>Slow listener.</b> If the listener blocks, the subscriber's thread stalls and Redis eventually
 *       drops the subscriber (client-output-buffer-limit pubsub); the link reconnects and the catch-up
 *       fills the hole. The listener must hand off quickly.</li>
 * </ul>
 *
 * <h2>Active symbols</h2>
 * {@code interestChanged} publishes {@code subscription_change} on market-data:subscriptions and applies
 * SADD/SREM to {@code market-data:active-symbols:{edgeId}}; a heartbeat every third of the TTL refreshes
 * it and rewrites it if it vanished; {@code close()} deletes it and announces the remaining symbols as
 * unsubscribed.
 */
package io.stocktracker.edge.bridge;
