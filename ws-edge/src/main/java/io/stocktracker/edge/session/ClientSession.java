package io.stocktracker.edge.session;

import io.stocktracker.edge.fanout.ClientQueue;
import io.stocktracker.edge.fanout.ClientQueue.Outcome;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.fanout.ClientQueue.Result;
import io.stocktracker.edge.options.ShapedSubscriptions;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.RateLimiter;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.security.ViolationTracker;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connected client: its id, socket, outbound queue and per-connection limits. All writes go through
 * {@link ClientQueue} so exactly one frame is in flight and the next leaves when the write callback fires.
 */
public final class ClientSession {
    private final String clientId;
    private final String remoteIp;
    private final WireFormat format;
    private final Instant connectedAt = Instant.now();
    private final Transport transport;
    private volatile Principal principal;
    /** Guards the token's timers and swaps, so a refresh and the expiry task never interleave. */
    final Object tokenLock = new Object();
    ScheduledFuture<?> tokenNotice;
    ScheduledFuture<?> tokenExpiry;
    private final ClientQueue queue;
    private final RateLimiter rateLimiter;
    private final ViolationTracker violations;
    private final ViolationTracker oversized;
    private final Consumer<ClientSession> onSlow;
    private final Runnable onFrameWritten;
    private final Executor writers;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastSeenNanos = System.nanoTime();
    /** Null while no subscription of this connection has options: then the fan-out's only extra cost is this null test. */
    private volatile ShapedSubscriptions shaped;
    /** Last time this connection was seen holding, taking or dropping a subscription (connect counts as one). */
    private volatile long subscriptionsSeenNanos = System.nanoTime();
    /** The subscribed symbols whose closed bars this connection asked for ({@code bars: true}); see edge.bars.BarFanout. */
    private final java.util.Set<String> barSymbols = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ClientSession(String clientId, String remoteIp, WireFormat format, Transport transport, Principal principal, ClientQueue queue,
                  RateLimiter rateLimiter, ViolationTracker violations, ViolationTracker oversized,
                  Consumer<ClientSession> onSlow, Runnable onFrameWritten, Executor writers) {
        this.writers = writers;
        this.clientId = clientId;
        this.remoteIp = remoteIp;
        this.format = format;
        this.transport = transport;
        this.principal = principal;
        this.queue = queue;
        this.rateLimiter = rateLimiter;
        this.violations = violations;
        this.oversized = oversized;
        this.onSlow = onSlow;
        this.onFrameWritten = onFrameWritten;
    }

    /** Acks, errors, pongs, snapshots: in order, behind the frame in flight, in this connection's format. */
    public void send(ServerMessage message) {
        handle(queue.offerControl(format.encode(message)));
    }

    /** A frame already serialized as JSON (shared between clients); re-encoded only for MessagePack clients. */
    public void sendJson(String json) {
        handle(queue.offerControl(format.fromJson(json)));
    }

    /**
     * A subscribe's answer: the latest value of {@code symbol} as a snapshot, unless this connection was already sent
     * that seq or a newer one (then it is not even encoded).
     */
    void sendSnapshot(String symbol, StockQuote quote, Instant now) {
        if (queue.alreadySent(symbol, quote.seq())) {
            return;
        }
        ShapedSubscriptions options = shaped;
        StockQuote sent = options == null ? quote : options.snapshot(symbol, quote);
        handle(queue.offerSnapshot(new PendingQuote(symbol, sent, format.encode(PriceUpdate.of(sent, now).asSnapshot()))));
    }

    /**
     * A live quote: latest-per-symbol while a write is in flight; a write it starts joins {@code burst}, handed to the
     * writers with the rest of the update's fan-out.
     */
    public Outcome deliver(PendingQuote quote, WriteBurst burst) {
        ShapedSubscriptions options = shaped;
        if (options != null && (quote = options.admit(quote)) == null) {
            return Outcome.SHAPED;
        }
        Result r = queue.offerQuote(quote);
        if (r.outcome() == Outcome.SEND) {
            Object frame = r.frame();
            burst.add(() -> write(frame));
        } else {
            handle(r);
        }
        return r.outcome();
    }

    /** A quote a subscription's maxRate held back, let out when its interval opened. */
    void deliverReleased(PendingQuote quote) {
        handle(queue.offerQuote(quote));
    }

    ShapedSubscriptions shaped() {
        return shaped;
    }

    void shaped(ShapedSubscriptions options) {
        shaped = options;
    }

    private void handle(Result r) {
        switch (r.outcome()) {
            // a write started outside a fan-out (a snapshot, a released quote) leaves the caller's thread, and
            // updates arriving while writers are busy pile up per symbol and leave batched
            case SEND -> writers.execute(() -> write(r.frame()));
            case SLOW -> onSlow.accept(this);
            default -> { }
        }
    }

    private void write(Object frame) {
        if (!transport.isOpen()) {
            queue.clear();
            return;
        }
        onFrameWritten.run();
        transport.send(frame, this::written);
    }

    private void written(Throwable failure) {
        if (failure != null) {
            queue.clear();
            queue.completed();
            return;
        }
        Object next = queue.completed();
        if (next != null) {
            // back through the pool, not inline: one busy connection must not hold a writer while others wait
            writers.execute(() -> write(next));
        }
    }

    /** Writes outside the queue: only for the last words to a client being dropped. */
    void sendImmediately(ServerMessage message) {
        if (transport.isOpen()) {
            transport.send(format.encode(message), t -> { });
        }
    }

    public java.util.Set<String> barSymbols() {
        return barSymbols;
    }

    /** First call wins; later calls return false. */
    boolean startClosing() {
        return closing.compareAndSet(false, true);
    }

    public boolean isClosing() {
        return closing.get();
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    void subscriptionsSeen(long nowNanos) {
        subscriptionsSeenNanos = nowNanos;
    }

    long subscriptionsSeenNanos() {
        return subscriptionsSeenNanos;
    }

    public String clientId() {
        return clientId;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public WireFormat format() {
        return format;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** The current token's principal: the one the connection opened with, or the last accepted refresh. */
    public Principal principal() {
        return principal;
    }

    void principal(Principal replacement) {
        this.principal = replacement;
    }

    public ClientQueue queue() {
        return queue;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    ViolationTracker violations() {
        return violations;
    }

    ViolationTracker oversized() {
        return oversized;
    }

    Transport transport() {
        return transport;
    }
}
