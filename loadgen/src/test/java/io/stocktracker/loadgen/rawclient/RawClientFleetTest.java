package io.stocktracker.loadgen.rawclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.loadgen.wire.ScriptedServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's fleet against a hostile or broken server (a scripted loopback socket, no edge): each fault ends
 * that one client, is counted under its own name in the totals, and leaves the selector thread serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawClientFleetTest {
    private static final List<String> SYMBOLS = List.of("AAPL");
    private static final String SUBSCRIBED = "{\"type\":\"subscribed\",\"symbols\":[\"AAPL\"]}";

    @Test
    void aRefusedUpgradeIsAConnectErrorNamedAfterTheStatusLine() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")) {
            RawClientFleet.Totals t = runOne(server);
            assertThat(t.connectErrors()).isEqualTo(1);
            assertThat(t.connectErrorKinds()).containsOnlyKeys("handshake HTTP/1.1 503 Service Unavailable");
        }
    }

    @Test
    void anUpgradeAnsweredWithTheWrongAcceptIsAConnectErrorNotATimeout() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(ScriptedServer.upgradeForAnotherKey())) {
            RawClientFleet.Totals t = runOne(server);
            assertThat(t.connectErrors()).isEqualTo(1);
            assertThat(t.connectErrorKinds()).containsOnlyKeys("handshake without the matching Sec-WebSocket-Accept");
        }
    }

    @Test
    void aFrameLongerThanTheLimitEndsTheClientAsATransportError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.upgrade();
            peer.readFrame(); // the subscribe
            peer.write(ScriptedServer.frame(true, 0x1, SUBSCRIBED));
            peer.write(ScriptedServer.frame(true, 0x1, new byte[0], 1L << 40));
            peer.awaitClientGone();
        })) {
            RawClientFleet.Totals t = runOne(server);
            assertThat(t.connectErrors()).isZero();
            assertThat(t.transportErrors()).isEqualTo(1);
        }
    }

    @Test
    void aFragmentedMessageLongerThanTheLimitEndsTheClientAsATransportError() throws Exception {
        byte[] eightMiB = new byte[8 << 20];
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.upgrade();
            peer.readFrame();
            peer.write(ScriptedServer.frame(true, 0x1, SUBSCRIBED));
            try {
                peer.write(ScriptedServer.frame(false, 0x1, eightMiB, eightMiB.length));
                peer.write(ScriptedServer.frame(false, 0x0, eightMiB, eightMiB.length));
                peer.write(ScriptedServer.frame(true, 0x0, eightMiB, eightMiB.length));
            } catch (IOException gone) {
                return; // the client may leave before the last fragment
            }
            peer.awaitClientGone();
        })) {
            RawClientFleet.Totals t = runOne(server);
            assertThat(t.transportErrors()).isEqualTo(1);
            assertThat(t.unparsable()).as("the message is refused before it is read").isZero();
        }
    }

    /** One client against {@code server}: connects, waits until the script ends (the client left), closes. */
    private static RawClientFleet.Totals runOne(ScriptedServer server) throws Exception {
        RawClientFleet fleet = new RawClientFleet(server.url(), SYMBOLS, List.of(SYMBOLS), null, new MeasurementWindow(),
                new DeliveryTimeline(System.nanoTime(), 60));
        try {
            fleet.connectAll(0, 1, Duration.ofSeconds(5));
            server.awaitPlayed();
        } finally {
            fleet.close();
        }
        return fleet.totals();
    }
}
