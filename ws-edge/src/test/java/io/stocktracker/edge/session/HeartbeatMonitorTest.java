package io.stocktracker.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.subscription.SubscriptionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The heartbeat's ticks, driven by hand: each connection pinged once per interval, the pings spread over it. */
class HeartbeatMonitorTest {
    private static final int CONNECTIONS = 2_000;

    final EdgeConfig config = EdgeConfig.fromEnv(Map.of("HEARTBEAT_INTERVAL_MS", "1000", "HEARTBEAT_TIMEOUT_MS", "60000"));
    final EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
    final SubscriptionManager subscriptions = new SubscriptionManager((action, symbols) -> { });
    final ConnectionManager connections = new ConnectionManager(config, metrics, subscriptions,
            new ConnectionLimiter(CONNECTIONS, CONNECTIONS), UserAccess.create(config, new SimpleMeterRegistry()),
            new BatchEncoder(metrics));
    final HeartbeatMonitor monitor = new HeartbeatMonitor(connections, subscriptions, config);

    @Test
    void overOneIntervalEveryConnectionIsPingedOnceAndNoTickPingsMoreThanAFewTimesItsShare() {
        List<CountingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            CountingSocket socket = new CountingSocket();
            sockets.add(socket);
            connections.handleConnection(socket, "127.0.0.1", WireFormat.JSON, Principal.ANONYMOUS);
        }
        int ticksPerInterval = (int) (config.heartbeatInterval().toMillis() / HeartbeatMonitor.SLICE.toMillis());
        int share = CONNECTIONS / ticksPerInterval;

        int before = 0;
        int largestTick = 0;
        for (int t = 0; t < ticksPerInterval; t++) {
            monitor.tick();
            int pinged = sockets.stream().mapToInt(s -> s.pings).sum();
            largestTick = Math.max(largestTick, pinged - before);
            before = pinged;
        }

        assertThat(sockets).allSatisfy(s -> assertThat(s.pings).as("pings in one interval").isEqualTo(1));
        assertThat(largestTick).as("pings in the busiest tick (a share is " + share + ")").isLessThanOrEqualTo(2 * share);

        for (int t = 0; t < ticksPerInterval; t++) {
            monitor.tick();
        }
        assertThat(sockets).allSatisfy(s -> assertThat(s.pings).as("pings in two intervals").isEqualTo(2));
        monitor.close();
    }

    /** An open socket whose writes complete at once; counts the pings. */
    static final class CountingSocket extends OpenTransport {
        int pings;

        @Override
        public void send(Object frame, Consumer<Throwable> done) {
            done.accept(null);
        }

        @Override
        public void ping() {
            pings++;
        }
    }
}
