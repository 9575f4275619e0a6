package io.stocktracker.edge.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval: close connections silent past the timeout (no pong, no message), check stalled writes,
 * and ping the rest. Server pings also keep proxies and Jetty's idle timeout from dropping quiet clients.
 */
public final class HeartbeatMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final ConnectionManager connections;
    private final Consumer<ClientSession> stallCheck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "edge-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public HeartbeatMonitor(ConnectionManager connections, Consumer<ClientSession> stallCheck) {
        this.connections = connections;
        this.stallCheck = stallCheck;
    }

    public HeartbeatMonitor start(Duration interval) {
        long ms = interval.toMillis();
        timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    void tick() {
        try {
            connections.cleanupStaleConnections();
            for (ClientSession s : connections.getActiveConnections()) {
                if (s.isClosing()) {
                    continue;
                }
                stallCheck.accept(s);
                if (!s.isClosing() && s.transport().isOpen()) {
                    s.transport().ping();
                }
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat sweep failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
