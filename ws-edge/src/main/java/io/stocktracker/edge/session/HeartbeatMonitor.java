package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.fanout.ClientQueue.Outcome;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.contract.CloseCode;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per interval for each connection: close it when silent past the timeout (no pong, no message), check its
 * stalled write, or ping it. Server pings also keep proxies and Jetty's idle timeout from dropping quiet clients.
 *
 * <p>The interval is cut into slices of about {@link #SLICE}, and each connection has its own slice (from its id), so
 * the pings leave spread over the interval. All at once, 5,000 pings are 5,000 socket writes in one burst: on 2 cores
 * every quote waited behind them once per interval, and that was the fan-out benchmark's p99 (97-139 ms; 17-37 ms in
 * slices, docs/benchmarks/ws-edge.md).
 */
public final class HeartbeatMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);
    static final Duration SLICE = Duration.ofMillis(100);

    private final ConnectionManager connections;
    private final SubscriptionManager subscriptions;
    private final Duration timeout;
    /** Zero: connections without subscriptions may stay. */
    private final Duration idleUnsubscribed;
    private final Duration interval;
    private final int slices;
    /** Touched by the timer thread only. */
    private long ticks;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public HeartbeatMonitor(ConnectionManager connections, SubscriptionManager subscriptions, EdgeConfig config) {
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.timeout = config.heartbeatTimeout();
        this.idleUnsubscribed = config.admission().idleUnsubscribedTimeout();
        this.interval = config.heartbeatInterval();
        this.slices = (int) Math.max(1, Math.min(10_000, interval.toMillis() / SLICE.toMillis()));
    }

    public HeartbeatMonitor start() {
        long period = Math.max(1, interval.toMillis() / slices);
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One slice's connections, in one pass; over {@code slices} ticks, every connection once. */
    void tick() {
        int slice = (int) (ticks++ % slices);
        long now = System.nanoTime();
        try {
            for (ClientSession s : connections.getActiveConnections()) {
                if (sliceOf(s) == slice) {
                    sweep(s, now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat sweep failed", e);
        }
    }

    /**
     * Closes a connection with no pong nor message within the heartbeat timeout, or one that held no subscription for
     * {@code IDLE_UNSUBSCRIBED_TIMEOUT_MS}, and forgets a socket gone without a close callback; drops a client whose
     * write is stalled; pings the rest.
     */
    private void sweep(ClientSession s, long now) {
        if (!s.transport().isOpen() && s.isClosing()) {
            connections.onClosed(s);
            return;
        }
        if (s.isClosing()) {
            return;
        }
        if (now - s.lastSeenNanos() > timeout.toNanos()) {
            connections.close(s, CloseCode.HEARTBEAT_TIMEOUT, "No pong within " + timeout.toMillis() + " ms");
            return;
        }
        if (idleUnsubscribed.toNanos() > 0) {
            // a socket that subscribes to nothing costs a descriptor and a heartbeat for no one's benefit
            if (subscriptions.holdsAny(s.clientId())) {
                s.subscriptionsSeen(now);
            } else if (now - s.subscriptionsSeenNanos() > idleUnsubscribed.toNanos()) {
                connections.close(s, CloseCode.IDLE_UNSUBSCRIBED, "No subscription for " + idleUnsubscribed.toMillis() + " ms");
                return;
            }
        }
        // a write outstanding past the stall limit makes the client slow
        if (s.queue().checkStall().outcome() == Outcome.SLOW) {
            connections.dropSlowConsumer(s);
        }
        if (!s.isClosing() && s.transport().isOpen()) {
            s.transport().ping();
        }
    }

    private int sliceOf(ClientSession s) {
        return Math.floorMod(s.clientId().hashCode(), slices);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
