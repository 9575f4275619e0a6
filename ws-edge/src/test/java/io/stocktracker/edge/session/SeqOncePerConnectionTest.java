package io.stocktracker.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.bridge.LatestValueCache;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.fanout.ClientQueue;
import io.stocktracker.edge.protocol.MessageValidator;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The edge's real subscribe, snapshot, fan-out and pause/resume code driven through the exact interleavings
 * that used to hand a client the same seq twice. The quote path (Delivery) updates the latest-value cache and
 * then fans out; the subscribe path registers and then reads the cache: nothing orders the two, so each test
 * calls the steps in one legal order on one thread. The socket is a scripted {@link Transport} whose writes
 * complete only when the test says so, which decides whether a live quote meets an idle or a busy connection.
 */
class SeqOncePerConnectionTest {
    final LatestValueCache cache = new LatestValueCache();
    final EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
    final SubscriptionManager subscriptions = new SubscriptionManager((action, symbols) -> { });
    final EdgeConfig config = EdgeConfig.defaults();
    final UserAccess access = UserAccess.create(config, new SimpleMeterRegistry());
    final ConnectionManager connections = new ConnectionManager(config, metrics, subscriptions, new ConnectionLimiter(100, 100),
            access, new BatchEncoder(metrics));
    /** What the handler reads as the cache; a test may run the racing quote path inside the read. */
    Function<String, Optional<StockQuote>> latest = cache::get;
    final BroadcastEngine engine = new BroadcastEngine(connections, subscriptions, metrics, s -> latest.apply(s));
    final ClientMessageHandler handler = new ClientMessageHandler(connections, subscriptions,
            new MessageValidator(config.maxFrameBytes(), config.maxSymbolsPerMessage(), config.maxSubscriptions()), metrics,
            s -> latest.apply(s), listed("RACE", "AGAIN", "A", "B", "RES", "TWICE", "P1", "P2"), access);
    final ScriptedSocket socket = new ScriptedSocket();
    final ClientSession session = connections.handleConnection(socket, "127.0.0.1", WireFormat.JSON, Principal.ANONYMOUS);
    /** Every frame the socket was handed, in order. */
    final List<JsonNode> received = new ArrayList<>();

    @AfterEach
    void close() {
        connections.close();
    }

    /** The quote path as Delivery runs it: cache first, then fan-out. */
    void quotePath(StockQuote q) {
        assertThat(cache.offer(q)).isTrue();
        engine.broadcast(BroadcastEngine.Update.of(q));
    }

    static SymbolAdmission listed(String... symbols) {
        SymbolUniverse universe = new SymbolUniverse();
        for (String symbol : symbols) {
            universe.apply(symbol, true);
        }
        universe.markReady();
        return new SymbolAdmission(universe, EdgeConfig.defaults().symbols(), candidates -> Optional.empty());
    }

    static StockQuote quote(String symbol, long seq) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z").plusSeconds(seq);
        return new StockQuote(symbol, 100.0 + seq, 1.0, 1.0, 10L, null, null, null, null, t, "test", seq, t, t);
    }

    void subscribe(String json) {
        handler.onText(session, json);
    }

    /** Completes writes until the connection is idle, collecting what it sends. */
    void drain() {
        socket.completeAll(session.queue(), received);
    }

    /** The seqs of {@code symbol} the client got, in order, from price_update (snapshot or live) and batch_update. */
    List<Long> seqsOf(String symbol) {
        List<Long> seqs = new ArrayList<>();
        for (JsonNode m : received) {
            String type = m.path("type").asText();
            if ("price_update".equals(type) && symbol.equals(m.path("symbol").asText())) {
                seqs.add(m.path("data").path("seq").asLong());
            } else if ("batch_update".equals(type)) {
                for (JsonNode u : m.path("updates")) {
                    if (symbol.equals(u.path("symbol").asText())) {
                        seqs.add(u.path("data").path("seq").asLong());
                    }
                }
            }
        }
        return seqs;
    }

    @Test
    void aLiveQuoteRacingTheSnapshotOfTheSameSeqIsNotSentAgainToABusyConnection() {
        // cache updated -> subscription registered -> snapshot read (seq 7) -> the live fan-out of seq 7 finds the subscriber
        cache.offer(quote("RACE", 7));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"RACE\"]}");
        engine.broadcast(BroadcastEngine.Update.of(quote("RACE", 7)));
        drain();
        assertThat(seqsOf("RACE")).containsExactly(7L);
    }

    @Test
    void aLiveQuoteRacingTheSnapshotOfTheSameSeqIsNotSentAgainToAnIdleConnection() {
        drain();
        cache.offer(quote("RACE", 7));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"RACE\"]}");
        drain();
        engine.broadcast(BroadcastEngine.Update.of(quote("RACE", 7)));
        drain();
        assertThat(seqsOf("RACE")).containsExactly(7L);
    }

    @Test
    void aSnapshotReadBeforeANewerLiveQuoteWasSentIsNotSentAfterIt() {
        drain();
        cache.offer(quote("RACE", 7));
        // the subscriber is registered; while the handler reads 7, the quote path stores and fans out 8 (idle socket: sent at once)
        latest = symbol -> {
            Optional<StockQuote> read = cache.get(symbol);
            latest = cache::get;
            socket.completeAll(session.queue(), received);
            quotePath(quote(symbol, 8));
            return read;
        };
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"RACE\"]}");
        drain();
        assertThat(seqsOf("RACE")).containsExactly(8L);
    }

    @Test
    void aSnapshotAndAPendingLiveQuoteOfTheSameSeqLeaveOnceFromABatch() {
        quotePath(quote("A", 1));
        quotePath(quote("B", 1));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"A\",\"B\"]}");
        // both snapshots wait behind `connected`; these two live quotes wait in the pending map and leave as one batch
        engine.broadcast(BroadcastEngine.Update.of(quote("A", 1)));
        quotePath(quote("B", 2));
        drain();
        assertThat(seqsOf("A")).containsExactly(1L);
        assertThat(seqsOf("B")).containsExactly(1L, 2L);
    }

    @Test
    void resumingWithSinceNeverRepeatsWhatTheClientHoldsEvenWhenTheLiveQuoteRacesIn() {
        drain();
        cache.offer(quote("RES", 41));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"RES\"],\"since\":{\"RES\":41}}");
        drain();
        engine.broadcast(BroadcastEngine.Update.of(quote("RES", 41)));
        quotePath(quote("RES", 42));
        drain();
        assertThat(seqsOf("RES")).containsExactly(42L);
    }

    @Test
    void subscribingAgainToAHeldSymbolDoesNotRepeatItsSnapshot() {
        quotePath(quote("TWICE", 3));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"TWICE\"]}");
        drain();
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"TWICE\"]}");
        quotePath(quote("TWICE", 4));
        drain();
        assertThat(seqsOf("TWICE")).containsExactly(3L, 4L);
    }

    @Test
    void resumeAfterPauseSendsOnlyWhatChangedDuringThePause() {
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"P1\",\"P2\"]}");
        quotePath(quote("P1", 1));
        quotePath(quote("P2", 1));
        drain();
        engine.pause();
        quotePath(quote("P2", 2));
        engine.resume();
        drain();
        assertThat(seqsOf("P1")).containsExactly(1L);
        assertThat(seqsOf("P2")).containsExactly(1L, 2L);
    }

    @Test
    void aNewSubscriptionAfterUnsubscribeStartsOverWithASnapshot() {
        quotePath(quote("AGAIN", 5));
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"AGAIN\"]}");
        drain();
        subscribe("{\"action\":\"unsubscribe\",\"symbols\":[\"AGAIN\"]}");
        subscribe("{\"action\":\"subscribe\",\"symbols\":[\"AGAIN\"]}");
        drain();
        assertThat(seqsOf("AGAIN")).containsExactly(5L, 5L);
    }

    /** A socket whose writes complete when the test says so; frames are JSON text (WireFormat.JSON). */
    static final class ScriptedSocket extends OpenTransport {
        private final BlockingQueue<Object> handed = new LinkedBlockingQueue<>();
        private final BlockingQueue<Consumer<Throwable>> callbacks = new LinkedBlockingQueue<>();

        @Override
        public void send(Object frame, Consumer<Throwable> done) {
            handed.add(frame);
            callbacks.add(done);
        }

        /**
         * Completes the write in flight, then each next one the queue hands over (through the writer pool, so this
         * waits for it), until the queue has nothing in flight.
         */
        void completeAll(ClientQueue queue, List<JsonNode> into) {
            try {
                while (queue.inFlight()) {
                    Object frame = handed.poll(10, TimeUnit.SECONDS);
                    assertThat(frame).as("the frame the queue has in flight reaches the socket").isNotNull();
                    into.add(JsonCodec.tree(frame.toString()));
                    callbacks.take().accept(null);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
