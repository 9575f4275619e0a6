package io.stocktracker.loadgen.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One connection against a scripted loopback server that answers what a real edge never would. Every fault ends the
 * connection once, with its kind and a reason to count it by; the shared loop keeps serving (no failure reaches it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawConnectionTest {
    private static final byte[] EIGHT_MIB = new byte[8 << 20];
    private static SelectorLoop loop;

    @BeforeAll
    static void startLoop() throws IOException {
        loop = new SelectorLoop("raw-connection-test", now -> 100, now -> { }, () -> { });
    }

    @AfterAll
    static void stopLoop() throws InterruptedException {
        loop.stop();
    }

    @AfterEach
    void theLoopCaughtNothing() {
        assertThat(loop.failures()).isZero();
        assertThat(loop.isRunning()).isTrue();
    }

    @Test
    void aRefusedUpgradeEndsNotUpgradedNamedAfterTheStatusLine() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("ended NOT_UPGRADED handshake HTTP/1.1 503 Service Unavailable");
            server.awaitPlayed();
        }
    }

    @Test
    void a101ForAnotherKeyEndsNotUpgraded() throws Exception {
        try (ScriptedServer server = ScriptedServer.answering(ScriptedServer.upgradeForAnotherKey())) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("ended NOT_UPGRADED " + Upgrade.WRONG_ACCEPT);
        }
    }

    @Test
    void anAnswerWhoseHeadersNeverEndIsRefusedPastItsLimit() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.readRequest();
            try {
                for (int i = 0; i < 1000; i++) {
                    peer.write(ascii("HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + "x".repeat(64) + "\r\n"));
                }
            } catch (IOException gone) {
                return; // the client left in the middle, as it should
            }
            peer.awaitClientGone();
        })) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("ended NOT_UPGRADED handshake response too long");
        }
    }

    @Test
    void aFragmentedTextWithAPingInsideIsDeliveredWholeAndThePingAnswered() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            String[] request = peer.readRequest();
            assertThat(request[1]).isEqualTo("GET /ws?x=1 HTTP/1.1");
            peer.write(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "sec-websocket-accept: " + ScriptedServer.accept(request[0]) + "\r\n\r\n"));
            peer.write(ScriptedServer.frame(false, WsFrames.TEXT, "{\"type\":"));
            peer.write(ScriptedServer.frame(true, WsFrames.PING, "are you there"));
            peer.write(ScriptedServer.frame(false, WsFrames.CONTINUATION, "\"hello"));
            peer.write(ScriptedServer.frame(true, WsFrames.CONTINUATION, " world\"}"));
            byte[] pong = peer.readFrame();
            assertThat(pong[0]).isEqualTo((byte) WsFrames.PONG);
            assertThat(new String(pong, 1, pong.length - 1, StandardCharsets.UTF_8)).isEqualTo("are you there");
            peer.write(ScriptedServer.frame(true, WsFrames.TEXT, "second"));
            peer.awaitClientGone();
        })) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("upgraded");
            assertThat(r.next()).isEqualTo("text {\"type\":\"hello world\"}");
            assertThat(r.next()).isEqualTo("text second");
            loop.submit(r.connection::close);
            server.awaitPlayed();
        }
    }

    @Test
    void aFrameLengthOverTheLimitEndsBrokenWithoutWaitingForItsPayload() throws Exception {
        for (long claimed : new long[] {FrameReader.MAX_MESSAGE + 1L, 1L << 40, Long.MIN_VALUE}) {
            Recorder r = upgradedThen(peer -> peer.write(ScriptedServer.frame(true, WsFrames.TEXT, new byte[0], claimed)));
            assertThat(r.next()).as("claimed " + claimed).isEqualTo("ended BROKEN frame too long");
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitEndsBroken() throws Exception {
        Recorder r = upgradedThen(peer -> {
            peer.write(ScriptedServer.frame(false, WsFrames.TEXT, EIGHT_MIB, EIGHT_MIB.length));
            peer.write(ScriptedServer.frame(false, WsFrames.CONTINUATION, EIGHT_MIB, EIGHT_MIB.length));
            peer.write(ScriptedServer.frame(true, WsFrames.CONTINUATION, EIGHT_MIB, EIGHT_MIB.length));
        });
        assertThat(r.next()).isEqualTo("ended BROKEN message too long");
    }

    static Stream<Arguments> forbiddenFrames() {
        return Stream.of(
                Arguments.of("masked server frame", List.of(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2})),
                Arguments.of("reserved bits set", List.of(new byte[] {(byte) 0xC1, 2, 'h', 'i'})),
                Arguments.of("unknown opcode", List.of(ScriptedServer.frame(true, 0x3, "?"))),
                Arguments.of("control frame fragmented or too long", List.of(ScriptedServer.frame(true, WsFrames.PING, "p".repeat(126)))),
                Arguments.of("control frame fragmented or too long", List.of(ScriptedServer.frame(false, WsFrames.PING, "p"))),
                Arguments.of("continuation without a message", List.of(ScriptedServer.frame(true, WsFrames.CONTINUATION, "tail"))),
                Arguments.of("new message inside a fragmented one",
                        List.of(ScriptedServer.frame(false, WsFrames.TEXT, "head"), ScriptedServer.frame(true, WsFrames.TEXT, "other"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenFrames")
    void aFrameRfc6455ForbidsEndsBrokenWithItsReason(String reason, List<byte[]> frames) throws Exception {
        Recorder r = upgradedThen(peer -> {
            for (byte[] f : frames) {
                peer.write(f);
            }
        });
        assertThat(r.next()).isEqualTo("ended BROKEN " + reason);
    }

    @Test
    void theServersCloseIsEchoedAndEndsTheConnectionWithItsCode() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.upgrade();
            peer.write(ScriptedServer.frame(true, WsFrames.CLOSE, new byte[] {0x03, (byte) 0xE9}, 2)); // 1001
            byte[] echo = peer.readFrame();
            assertThat(echo).containsExactly(WsFrames.CLOSE, 0x03, (byte) 0xE9);
            peer.awaitClientGone();
        })) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("upgraded");
            assertThat(r.next()).isEqualTo("ended CLOSED_BY_SERVER closed by the server 1001");
            server.awaitPlayed();
        }
    }

    @Test
    void ourCloseAnsweredEndsTheConnectionAsAnswered() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.upgrade();
            byte[] close = peer.readFrame();
            assertThat(close).containsExactly(WsFrames.CLOSE, 0x03, (byte) 0xE8);
            peer.write(ScriptedServer.frame(true, WsFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}, 2));
            peer.awaitClientGone();
        })) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("upgraded");
            loop.submit(() -> r.connection.sendClose(1000));
            assertThat(r.next()).isEqualTo("ended CLOSE_ANSWERED close answered");
        }
    }

    @Test
    void aServerThatSendsPingsButNeverReadsTheirPongsEndsBroken() throws Exception {
        byte[] ping = ScriptedServer.frame(true, WsFrames.PING, "p".repeat(125));
        byte[] thousandPings = new byte[ping.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(ping, 0, thousandPings, i * ping.length, ping.length);
        }
        Recorder r = upgradedThen(peer -> {
            for (int i = 0; i < 200; i++) { // 25 MB of pongs owed: more than the socket buffers and the client's queue
                peer.write(thousandPings);
            }
        });
        assertThat(r.next()).isEqualTo("ended BROKEN the server does not read");
    }

    @Test
    void aSocketEndedWithoutACloseFrameIsDropped() throws Exception {
        assertThat(upgradedThen(peer -> { }).next()).isEqualTo("ended DROPPED closed without a close frame");
    }

    @Test
    void aPortNobodyListensOnIsARefusedConnect() throws Exception {
        int port;
        try (ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
        Recorder r = Recorder.open(URI.create("ws://127.0.0.1:" + port + "/ws"));
        assertThat(r.next()).isEqualTo("ended NOT_UPGRADED connection refused");
    }

    /** Upgrades, plays {@code then}, and closes the socket (the client may leave first: it is refusing something). */
    private static Recorder upgradedThen(ScriptedServer.Script then) throws Exception {
        try (ScriptedServer server = ScriptedServer.start(peer -> {
            peer.upgrade();
            try {
                then.play(peer);
            } catch (IOException gone) {
                // the client left before the script ended
            }
        })) {
            Recorder r = Recorder.open(server.url());
            assertThat(r.next()).isEqualTo("upgraded");
            server.awaitPlayed();
            return r;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The listener's calls, in order, as short lines. */
    private static final class Recorder implements RawConnection.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        RawConnection connection;

        static Recorder open(URI url) {
            Recorder r = new Recorder();
            r.connection = new RawConnection(loop, url, r);
            loop.submit(r.connection::open);
            return r;
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("an event within 20 s").isNotNull();
            return e;
        }

        @Override
        public void upgraded() {
            events.add("upgraded");
        }

        @Override
        public void text(byte[] a, int off, int len) {
            events.add(len > 200 ? "text of " + len + " bytes" : "text " + new String(a, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void binary() {
            events.add("binary");
        }

        @Override
        public void ended(Ending ending) {
            events.add("ended " + ending.kind() + " " + ending.reason() + (ending.closeCode() == 0 ? "" : " " + ending.closeCode()));
        }
    }
}
