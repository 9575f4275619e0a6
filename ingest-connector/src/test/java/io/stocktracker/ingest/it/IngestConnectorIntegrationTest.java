package io.stocktracker.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.infra.ChildJvm;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.FreePorts;
import io.stocktracker.infra.TcpProxy;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.ingest.IngestApp;
import io.stocktracker.ingest.IngestConfig;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector against a real KRaft broker, a real redis-server and a real HTTP provider stub: the
 * flows of the issue, end to end. Edges are played by writing what an edge writes to Redis.
 */
class IngestConnectorIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;
    private static StubQuoteProvider provider;
    private static RedisClient redisClient;
    private static StatefulRedisPubSubConnection<String, String> updatesListener;
    private static final List<String> updates = Collections.synchronizedList(new ArrayList<>());
    private static final List<RawQuote> produced = Collections.synchronizedList(new ArrayList<>());
    private static Thread consumerThread;
    private static volatile boolean consuming = true;

    private IngestApp app;
    private IngestApp standby;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        kafka = EmbeddedKafka.start();
        redis = EmbeddedRedis.start();
        provider = new StubQuoteProvider();
        // streams-processor creates the topics; here, without it, the fixture does
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of(Topics.QUOTES_RAW, Topics.configs().get(Topics.QUOTES_RAW),
                Topics.SYMBOLS_UNIVERSE, Topics.configs().get(Topics.SYMBOLS_UNIVERSE)), Topics.DEFAULT_PARTITIONS);
        redisClient = RedisClient.create(redis.url());
        subscribeToUpdates();
        consumerThread = new Thread(IngestConnectorIntegrationTest::consumeQuotesRaw, "test-quotes-raw-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();
    }

    /**
     * As its image runs it (the module's jar and runtime dependencies only), with LOG_FORMAT=json: every line is one
     * JSON object, none at DEBUG, and neither the Redis password nor an API key appears, even in the failures of a
     * provider that cannot be reached.
     */
    @Test
    void startedAsItsImageRunsItLogsJsonLinesAtInfoWithoutSecrets() throws Exception {
        String redisPassword = "redis-pw-" + UUID.randomUUID();
        String avKey = "av-key-" + UUID.randomUUID();
        String tdKey = "td-key-" + UUID.randomUUID();
        Path out = Path.of("target", "ingest-logging.log");
        try (EmbeddedRedis secured = EmbeddedRedis.startWithPassword(redisPassword);
             ChildJvm child = ChildJvm.start(IngestApp.class, List.of(), Map.of(
                     "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "REDIS_URL", secured.url(),
                     "INGEST_SOURCES", "alphavantage,simulated",
                     "ALPHAVANTAGE_API_KEY", avKey,
                     "ALPHAVANTAGE_BASE_URL", "http://127.0.0.1:" + FreePorts.next(),
                     "INGEST_ALLOW_INSECURE_HTTP", "true",
                     "TWELVEDATA_API_KEY", tdKey,
                     "INGEST_HTTP_PORT", "0",
                     "INGEST_INTERVAL_MS", "300",
                     "LOG_FORMAT", "json"), out)) {
            child.awaitOutput("ingest connector up", WAIT);
            child.stop(Duration.ofSeconds(30));
            String log = child.output();
            List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonNode entry = JsonCodec.tree(line);
                assertThat(entry.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
            }
            assertThat(lines).anyMatch(l -> JsonCodec.tree(l).path("formattedMessage").asText().startsWith("starting ingest connector: IngestConfig["));
            assertThat(log).doesNotContain(redisPassword).doesNotContain(avKey).doesNotContain(tdKey);
        }
    }

    private static void subscribeToUpdates() {
        updatesListener = redisClient.connectPubSub();
        updatesListener.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                updates.add(message);
            }
        });
        updatesListener.sync().subscribe(Channels.UPDATES);
    }

    private static void consumeQuotesRaw() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(IntStream.range(0, Topics.DEFAULT_PARTITIONS).mapToObj(p -> new TopicPartition(Topics.QUOTES_RAW, p)).toList());
            while (consuming) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String json = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
                    SchemaValidator.shared().requireValid(SchemaValidator.RAW_QUOTE, json);
                    RawQuote quote = JsonCodec.fromJson(json, RawQuote.class);
                    assertThat(record.key()).isEqualTo(quote.symbol());
                    produced.add(quote);
                }
            }
        }
    }

    @AfterAll
    static void stopInfrastructure() throws InterruptedException {
        consuming = false;
        consumerThread.join(5_000);
        updatesListener.close();
        redisClient.shutdown();
        provider.close();
        redis.close();
        kafka.close();
    }

    @BeforeEach
    void cleanSlate() {
        provider.reset();
        redis.restart();
        await().atMost(WAIT).ignoreExceptions().until(() -> "OK".equals(redisDo(RedisCommands::flushall)));
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
        }
        if (standby != null) {
            standby.close();
        }
    }

    /** The connector's environment, as a container gets it. */
    private static final class Env extends java.util.LinkedHashMap<String, String> {
        Env set(String key, Object value) {
            put(key, String.valueOf(value));
            return this;
        }

        IngestConfig build() {
            return IngestConfig.fromEnv(this);
        }
    }

    private Env config() {
        return new Env()
                .set("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())
                .set("REDIS_URL", redis.url())
                .set("INGEST_HTTP_PORT", 0)
                .set("INGEST_INTERVAL_MS", 250)
                .set("TWELVEDATA_API_KEY", "test-key")
                .set("TWELVEDATA_BASE_URL", provider.baseUrl())
                .set("ALPHAVANTAGE_API_KEY", "test-key")
                .set("ALPHAVANTAGE_BASE_URL", provider.baseUrl())
                .set("INGEST_ALLOW_INSECURE_HTTP", "true")
                .set("TWELVEDATA_PER_MINUTE", 0)
                .set("TWELVEDATA_PER_DAY", 0)
                .set("ALPHAVANTAGE_PER_MINUTE", 0)
                .set("ALPHAVANTAGE_PER_DAY", 0)
                .set("INGEST_ACTIVE_RESYNC_MS", 1000)
                .set("INGEST_ERROR_NOTIFY_INTERVAL_MS", 60_000)
                .set("INGEST_BREAKER_FAILURE_THRESHOLD", 100);
    }

    /** Runs {@code action} on a fresh connection (the server may have been restarted) and closes it. */
    private static <T> T redisDo(java.util.function.Function<RedisCommands<String, String>, T> action) {
        try (StatefulRedisConnection<String, String> c = redisClient.connect()) {
            return action.apply(c.sync());
        }
    }

    /** What an edge does on a 0->1 / 1->0 transition: publish the change and keep its set (with its TTL). */
    private static void edge(Action action, String edgeId, String... symbols) {
        redisDo(r -> {
            edgeWrites(r, action, edgeId, symbols);
            return null;
        });
    }

    private static void edgeWrites(RedisCommands<String, String> r, Action action, String edgeId, String... symbols) {
        r.publish(Channels.SUBSCRIPTIONS, JsonCodec.toJson(SubscriptionChange.of(action, List.of(symbols), edgeId)));
        if (action == Action.subscribe) {
            r.sadd(Channels.activeSymbolsKey(edgeId), symbols);
            r.pexpire(Channels.activeSymbolsKey(edgeId), 30_000);
        } else {
            r.srem(Channels.activeSymbolsKey(edgeId), symbols);
        }
    }

    private static long producedFor(String symbol, String source) {
        synchronized (produced) {
            return produced.stream().filter(q -> q.symbol().equals(symbol) && (source == null || source.equals(q.source()))).count();
        }
    }

    @Test
    void edgeSubscriptionStartsFetchingFromTheProviderAndUnsubscribeStopsIt() throws InterruptedException {
        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata").build());
        await().atMost(WAIT).until(app::redisConnected);
        assertThat(app.activeSymbols().symbols()).as("no pinned symbols for a real provider").isEmpty();

        edge(Action.subscribe, "edge-a", "AMD");

        await().atMost(WAIT).until(() -> producedFor("AMD", "twelvedata") >= 2);
        assertThat(provider.twelveDataAsked).contains("AMD");

        edge(Action.unsubscribe, "edge-a", "AMD");
        await().atMost(WAIT).until(() -> !app.activeSymbols().symbols().contains("AMD"));
        Thread.sleep(500); // let a cycle that was already running finish
        long asked = provider.askedFor("AMD");
        Thread.sleep(1_500); // six intervals
        assertThat(provider.askedFor("AMD")).as("no fetching after the last edge unsubscribed").isEqualTo(asked);
    }

    @Test
    void badMessagesAreCountedAndTwoEdgesOnOneSymbolWithOneLeavingKeepItFetched() {
        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata").build());
        await().atMost(WAIT).until(app::redisConnected);
        redisDo(r -> {
            r.publish(Channels.SUBSCRIPTIONS, "not json");
            r.publish(Channels.SUBSCRIPTIONS, "{\"type\":\"subscription_change\",\"action\":\"subscribe\",\"symbols\":[\"bad symbol!\"],\"edgeId\":\"e\"}");
            return r.publish(Channels.CONTROL, "{\"type\":\"control\",\"command\":\"explode\"}");
        });
        await().atMost(WAIT).until(() -> app.registry().find("ingest.redis.bad.messages").counters().stream()
                .mapToDouble(c -> c.count()).sum() == 3);

        edge(Action.subscribe, "edge-a", "INTC");
        edge(Action.subscribe, "edge-b", "INTC");
        await().atMost(WAIT).until(() -> app.activeSymbols().demand().getOrDefault("INTC", 0) == 2);
        edge(Action.unsubscribe, "edge-a", "INTC");
        await().atMost(WAIT).until(() -> app.activeSymbols().demand().getOrDefault("INTC", 0) == 1);

        long before = producedFor("INTC", null);
        await().atMost(WAIT).until(() -> producedFor("INTC", null) > before + 2);
    }

    @Test
    void restartRebuildsTheActiveSetFromTheEdgesRedisSets() {
        redisDo(r -> {
            r.sadd(Channels.activeSymbolsKey("edge-b"), "NFLX", "IBM");
            r.pexpire(Channels.activeSymbolsKey("edge-b"), 60_000);
            r.sadd(Channels.activeSymbolsKey("edge-c"), "IBM");
            r.pexpire(Channels.activeSymbolsKey("edge-c"), 60_000);
            r.sadd(Channels.activeSymbolsKey("edge-dying"), "ORCL");
            return r.pexpire(Channels.activeSymbolsKey("edge-dying"), 2_500);
        });

        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata").build());
        await().atMost(WAIT).until(() -> app.activeSymbols().demand().getOrDefault("IBM", 0) == 2
                && app.activeSymbols().demand().getOrDefault("NFLX", 0) == 1);
        await().atMost(WAIT).until(() -> producedFor("NFLX", "twelvedata") > 0 && producedFor("IBM", "twelvedata") > 0);

        app.close();
        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata").build());

        await().atMost(WAIT).until(() -> app.activeSymbols().demand().containsKey("NFLX"));
        assertThat(app.activeSymbols().demand()).containsEntry("IBM", 2);
        // a dead edge's set expires with its heartbeat TTL and its interest goes with it
        await().atMost(WAIT).until(() -> !app.activeSymbols().symbols().contains("ORCL"));
        assertThat(app.activeSymbols().symbols()).containsExactlyInAnyOrder("NFLX", "IBM");
    }

    @Test
    void rateLimitedPrimaryFallsBackAndAnErrorIsPublishedWhenEverySourceFails() {
        provider.twelveData = StubQuoteProvider.Mode.RATE_LIMITED;
        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata,alphavantage").set("INGEST_SYMBOLS", "UBER").build());

        await().atMost(WAIT).until(() -> producedFor("UBER", "alphavantage") >= 2);
        assertThat(producedFor("UBER", "twelvedata")).isZero();
        assertThat(provider.twelveDataAsked).as("a 429 puts the provider in cooldown, not in a retry loop").hasSize(1);
        await().atMost(WAIT).until(app::redisConnected);

        provider.alphaVantage = StubQuoteProvider.Mode.RATE_LIMITED;

        await().atMost(WAIT).until(() -> errorsFor("UBER").size() == 1);
        String json = errorsFor("UBER").get(0);
        SchemaValidator.shared().requireValid(SchemaValidator.UPDATES_MESSAGE, json);
        ErrorMessage error = (ErrorMessage) JsonCodec.fromJson(json, ServerMessage.class);
        assertThat(error.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
        assertThat(error.message()).contains("RATE_LIMITED");
    }

    @Test
    void keepsProducingPinnedSymbolsWhileRedisIsDownAndResubscribesAfterwards() {
        // one instance without election: it fetches through a Redis outage (with election it could not know it is alone)
        app = IngestApp.start(config().set("INGEST_SOURCES", "simulated").set("INGEST_SYMBOLS", "SPY").set("INGEST_LEADER_ELECTION", false).build());
        await().atMost(WAIT).until(app::redisConnected);
        await().atMost(WAIT).until(() -> producedFor("SPY", "simulated") > 0);

        redis.stop();
        await().atMost(WAIT).until(() -> !app.redisConnected());
        long whileDown = producedFor("SPY", null);
        await().atMost(WAIT).until(() -> producedFor("SPY", null) > whileDown + 3);

        redis.restart();
        await().atMost(WAIT).until(app::redisConnected);
        // the pub/sub subscription is back: a new edge's subscribe is heard
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            edge(Action.subscribe, "edge-new", "COST");
            assertThat(app.activeSymbols().symbols()).contains("COST");
        });
        await().atMost(WAIT).until(() -> producedFor("COST", "simulated") > 0);
        // the test's own listener reconnects too, so later tests see updates
        await().atMost(WAIT).until(() -> updatesListener.isOpen());
    }

    @Test
    void brokerRestartLosesNoFetchedQuote() throws InterruptedException {
        app = IngestApp.start(config().set("INGEST_SOURCES", "simulated").set("INGEST_SYMBOLS", "PEP").build());
        await().atMost(WAIT).until(() -> producedFor("PEP", null) > 0);

        kafka.stop();
        long fetchedAtStop = fetched("simulated");
        // cycles during the outage: their quotes either wait in send() for the broker or sit in the
        // producer's buffer, depending on whether the producer still had the topic's metadata
        Thread.sleep(2_000);
        kafka.restart();

        await().atMost(WAIT).until(() -> producedFor("PEP", null) > fetchedAtStop + 3);
        assertThat(app.registry().counter("ingest.quotes.produce.failures").count()).isZero();
        await().atMost(WAIT).until(() -> app.registry().counter("ingest.quotes.produced").count() >= fetched("simulated") - 1);
    }

    private long fetched(String provider) {
        var c = app.registry().find("ingest.fetches").tags("provider", provider, "outcome", "success").counter();
        return c == null ? 0 : (long) c.count();
    }

    @Test
    void pauseAndResumeOverTheControlChannelAndOpsEndpointsAnswer() throws Exception {
        app = IngestApp.start(config().set("INGEST_SOURCES", "simulated").set("INGEST_SYMBOLS", "KO").build());
        await().atMost(WAIT).until(app::redisConnected);
        await().atMost(WAIT).until(() -> producedFor("KO", null) > 0);

        redisDo(r -> r.publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.pause, "ingest"))));
        await().atMost(WAIT).until(() -> app.service().paused());
        Thread.sleep(500); // a cycle already running may still finish
        long paused = producedFor("KO", null);
        Thread.sleep(1_500);
        assertThat(producedFor("KO", null)).as("paused means no fetching").isEqualTo(paused);

        HttpClient http = HttpClient.newHttpClient();
        String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(JsonCodec.tree(health).get("status").asText()).isEqualTo("UP");
        assertThat(JsonCodec.tree(health).get("paused").asBoolean()).isTrue();
        assertThat(JsonCodec.tree(health).at("/leader/role").asText()).isEqualTo("leader");

        redisDo(r -> r.publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(ControlMessage.Command.resume, "*"))));
        await().atMost(WAIT).until(() -> producedFor("KO", null) > paused);

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ingest_quotes_produced_total", "ingest_fetches_total{outcome=\"success\",provider=\"simulated\"}",
                "ingest_active_symbols", "ingest_paused", "ingest_leader 1.0");
    }

    private static List<String> errorsFor(String symbol) {
        synchronized (updates) {
            return updates.stream().filter(u -> u.contains("\"type\":\"error\"") && u.contains("\"symbol\":\"" + symbol + "\"")).toList();
        }
    }

    private static long spentInRedis(String provider) {
        return redisDo(r -> r.keys(Channels.INGEST_BUDGET + ":" + provider + ":*").stream()
                .mapToLong(k -> Long.parseLong(r.get(k))).sum());
    }

    private static long requests(IngestApp instance) {
        return (long) instance.registry().counter("ingest.requests", "provider", "twelvedata").count();
    }

    private static com.fasterxml.jackson.databind.JsonNode health(IngestApp instance) throws Exception {
        return JsonCodec.tree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void onlyTheLeaderFetchesAndTheStandbyTakesOverWhenTheLeaderLosesRedisOrStops() throws Exception {
        try (TcpProxy proxy = new TcpProxy(redis.port())) {
            Env ha = config().set("INGEST_SOURCES", "twelvedata").set("INGEST_SYMBOLS", "HAX")
                    // paced (so the spend is shared in Redis) but with a day so large the pace never holds the test back
                    .set("TWELVEDATA_PER_DAY", 10_000_000).set("INGEST_BUDGET_WINDOW", "always")
                    .set("INGEST_LEADER_TTL_MS", 4000) // renewals every ~1.3 s: a loaded CI machine does not lose the lease
                    .set("INGEST_HTTP_REQUEST_TIMEOUT_MS", 1000); // within the lease's 1 s margin
            app = IngestApp.start(ha.set("REDIS_URL", proxy.redisUrl()).set("INGEST_INSTANCE_ID", "ingest-a").build());
            standby = IngestApp.start(ha.set("REDIS_URL", redis.url()).set("INGEST_INSTANCE_ID", "ingest-b").build());

            assertThat(app.leading()).isTrue();
            assertThat(standby.leading()).isFalse();
            await().atMost(WAIT).until(() -> requests(app) >= 3);
            assertThat(requests(standby)).as("the standby spends no credits").isZero();
            // the counter moves just before the request reaches the stub: compare once both have settled
            await("the provider saw only the leader").atMost(WAIT).until(() -> provider.askedFor("HAX") == requests(app));
            assertThat(health(standby).at("/leader/role").asText()).isEqualTo("standby");
            assertThat(health(standby).at("/leader/holder").asText()).isEqualTo("ingest-a");
            assertThat(standby.registry().scrape()).contains("ingest_leader 0.0");

            // what the leader spent is in Redis before it is cut off
            long spentBeforeCut = requests(app);
            await().atMost(WAIT).until(() -> spentInRedis("twelvedata") >= spentBeforeCut);

            // the leader is cut off from Redis: it stops before its lease can expire, then the standby leads
            proxy.cut();
            await().atMost(WAIT).until(standby::leading);
            // and spreads only what is left of the day, not a fresh one
            assertThat(10_000_000 - health(standby).at("/providers/0/budgetPeriod").asLong()).isGreaterThanOrEqualTo(spentBeforeCut);
            assertThat(app.leading()).isFalse();
            Thread.sleep(1000); // a request already past the gate may still be counted (request timeout)
            long leaderStoppedAt = requests(app);
            await().atMost(WAIT).until(() -> requests(standby) >= 3);
            assertThat(requests(app)).as("the old leader fetches nothing once deposed").isEqualTo(leaderStoppedAt);
            await().atMost(WAIT).until(() -> provider.askedFor("HAX") == requests(app) + requests(standby));

            // back on the network it stays standby; a graceful stop of the new leader hands over at once
            proxy.heal();
            await().atMost(WAIT).until(() -> health(app).at("/leader/holder").asText().equals("ingest-b"));
            assertThat(app.leading()).isFalse();
            standby.close();
            await().atMost(WAIT).until(app::leading);
            long resumedAt = requests(app);
            await().atMost(WAIT).until(() -> requests(app) > resumedAt);
        }
    }

    @Test
    void anUnlistedSymbolAnnouncedInRedisCostsNoRequestAndTheListingIsPublishedToTheUniverseTopic() throws InterruptedException {
        app = IngestApp.start(config().set("INGEST_SOURCES", "twelvedata").set("SYMBOL_ALLOW_LIST", "ZZOP").build());
        await().atMost(WAIT).until(app::redisConnected);
        await().atMost(WAIT).until(() -> app.universe().contains("AMD"));

        // any client of the documented Redis contract can write these: an invented ticker among real ones
        edge(Action.subscribe, "edge-rogue", "QZXV42", "AMD");

        await().atMost(WAIT).until(() -> producedFor("AMD", "twelvedata") >= 2);
        Thread.sleep(1_000); // four more cycles
        assertThat(provider.askedFor("QZXV42")).as("never fetched: not in the universe").isZero();
        assertThat(producedFor("QZXV42", null)).isZero();
        assertThat(app.activeSymbols().demand()).doesNotContainKey("QZXV42");

        Map<String, String> universe = readUniverse();
        assertThat(universe).containsEntry("AMD", "twelvedata").containsEntry("ZZOP", "allow-list").doesNotContainKey("QZXV42");
        assertThat(provider.listingRequests).containsExactly("twelvedata");
    }

    @Test
    void alphaVantageListingIsReadAndASymbolThatLeftItGetsATombstoneAfterARestart() {
        app = IngestApp.start(config().set("INGEST_SOURCES", "alphavantage").build());
        // an earlier test may have left KO listed by twelvedata: wait for this listing's own record
        await().atMost(WAIT).until(() -> "alphavantage".equals(readUniverse().get("KO")));
        app.close();

        // KO left the listing while ingest was down: the restarted instance still removes it
        provider.listed = StubQuoteProvider.LISTED.stream().filter(s -> !s.equals("KO")).toList();
        app = IngestApp.start(config().set("INGEST_SOURCES", "alphavantage").build());
        await().atMost(WAIT).until(() -> !readUniverse().containsKey("KO"));
        assertThat(readUniverse()).containsEntry("PEP", "alphavantage");
        assertThat(app.universe().contains("KO")).isFalse();
    }

    /** symbols.universe as an edge sees it: read from the beginning, tombstones applied. */
    private static Map<String, String> readUniverse() {
        Map<String, String> listed = new java.util.HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, Topics.DEFAULT_PARTITIONS)
                    .mapToObj(p -> new TopicPartition(Topics.SYMBOLS_UNIVERSE, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        listed.remove(r.key());
                    } else {
                        listed.put(r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            return Map.of(); // the topic does not exist yet
        }
        return listed;
    }
}
