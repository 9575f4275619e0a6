package io.stocktracker.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.EmbeddedRedis;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Against a real redis-server: subscribe, receive, survive a restart, and leave nothing behind on close. */
class BlockingSubscriberTest {
    private static final List<String> CHANNELS = List.of("test:updates", "test:control");

    /** What the subscriber reported, in order. */
    private static final class Recorder implements BlockingSubscriber.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        final AtomicInteger connects = new AtomicInteger();
        final List<Long> retryDelays = new CopyOnWriteArrayList<>();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();

        @Override
        public void connected() {
            connects.incrementAndGet();
        }

        @Override
        public void subscribed(String channel) {
            subscribed.add(channel);
        }

        @Override
        public void disconnected(RuntimeException cause, long retryInMillis, int attempt) {
            subscribed.clear();
            retryDelays.add(retryInMillis);
            attempts.add(attempt);
        }

        void message(String channel, byte[] payload) {
            messages.add(channel + "=" + new String(payload, StandardCharsets.UTF_8));
        }
    }

    private static BlockingSubscriber subscriber(String url, String name, Recorder recorder) {
        return new BlockingSubscriber(url, name, Duration.ofSeconds(1), Duration.ofMillis(400), CHANNELS, recorder::message, recorder)
                .start();
    }

    private static void publish(String url, String channel, String message) {
        try (Jedis jedis = new Jedis(URI.create(url))) {
            jedis.publish(channel, message);
        }
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("redis-subscriber-" + name) && t.isAlive());
    }

    @Test
    void deliversWhatIsPublishedOnEveryChannelUnderItsClientName() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Recorder recorder = new Recorder();
            try (BlockingSubscriber ignored = subscriber(redis.url(), "kit-test:deliver", recorder)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.containsAll(CHANNELS));
                publish(redis.url(), "test:updates", "u1");
                publish(redis.url(), "test:control", "c1");
                publish(redis.url(), "test:other", "never");
                publish(redis.url(), "test:updates", "u2");
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.size() >= 3);
                assertThat(recorder.messages).containsExactly("test:updates=u1", "test:control=c1", "test:updates=u2");
                try (Jedis admin = new Jedis(URI.create(redis.url()))) {
                    assertThat(admin.clientList()).contains("name=kit-test:deliver");
                }
            }
        }
    }

    @Test
    void aPasswordInTheUrlIsUsed() {
        try (EmbeddedRedis redis = EmbeddedRedis.startWithPassword("s3cret-pw")) {
            Recorder recorder = new Recorder();
            try (BlockingSubscriber ignored = subscriber(redis.url(), "kit-test:auth", recorder)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.containsAll(CHANNELS));
                publish(redis.url(), "test:updates", "authed");
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.contains("test:updates=authed"));
                assertThat(recorder.attempts).isEmpty();
            }
        }
    }

    @Test
    void afterRedisRestartsItReconnectsWithTheBackoffAndSubscribesAgain() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Recorder recorder = new Recorder();
            try (BlockingSubscriber ignored = subscriber(redis.url(), "kit-test:restart", recorder)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.containsAll(CHANNELS));
                redis.stop();
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.attempts.size() >= 4);
                assertThat(recorder.subscribed).isEmpty();
                assertThat(recorder.attempts.subList(0, 4)).containsExactly(1, 2, 3, 4);
                // the rule: min(cap 400 ms, 100 ms x 2^attempt), in its upper half
                assertThat(recorder.retryDelays.get(0)).isBetween(100L, 200L);
                assertThat(recorder.retryDelays.get(1)).isBetween(200L, 400L);
                assertThat(recorder.retryDelays.subList(2, 4)).allSatisfy(d -> assertThat(d).isBetween(200L, 400L));
                redis.restart();
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.containsAll(CHANNELS));
                assertThat(recorder.connects.get()).isEqualTo(2);
                publish(redis.url(), "test:control", "back");
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.contains("test:control=back"));
            }
        }
    }

    @Test
    void closeEndsTheThreadWhetherReadingOrWaitingToRetry() {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Recorder reading = new Recorder();
            BlockingSubscriber subscribed = subscriber(redis.url(), "kit-test:close-reading", reading);
            await().atMost(Duration.ofSeconds(20)).until(() -> reading.subscribed.containsAll(CHANNELS));
            assertThat(threadAlive("kit-test:close-reading")).isTrue();
            subscribed.close();
            assertThat(threadAlive("kit-test:close-reading")).isFalse();

            redis.stop();
            Recorder waiting = new Recorder();
            BlockingSubscriber retrying = new BlockingSubscriber(redis.url(), "kit-test:close-waiting", Duration.ofSeconds(1),
                    Duration.ofSeconds(30), CHANNELS, waiting::message, waiting).start();
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting.attempts.size() >= 5); // now waiting up to 3.2 s
            retrying.close();
            assertThat(threadAlive("kit-test:close-waiting")).isFalse();
        }
    }

    @Test
    void aServerAnnouncingAHugeMessageIsDroppedBeforeTheClientAllocatesIt() throws Exception {
        try (HostileRedis hostile = new HostileRedis("$" + Integer.MAX_VALUE + "\r\n")) {
            Recorder recorder = new Recorder();
            try (BlockingSubscriber ignored = subscriber("redis://127.0.0.1:" + hostile.port(), "kit-test:hostile", recorder)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.attempts.isEmpty());
                // the good message before the huge one still arrives (once per connection: it reconnects)
                assertThat(recorder.messages).isNotEmpty().allMatch("test:updates=fine"::equals);
                assertThat(threadAlive("kit-test:hostile")).isTrue();
            }
        }
    }

    /**
     * Speaks just enough RESP: OK to the handshake, confirms SUBSCRIBE, sends one fine message, then a message whose
     * payload header is {@code hugeHeader} and nothing after it.
     */
    private static final class HostileRedis implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        private final Thread thread;
        private final List<java.net.Socket> clients = new CopyOnWriteArrayList<>();

        HostileRedis(String hugeHeader) throws java.io.IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket socket = server.accept();
                        clients.add(socket);
                        serve(socket, hugeHeader);
                    } catch (java.io.IOException e) {
                        // closed, or the client went away
                    }
                }
            }, "hostile-redis");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void serve(java.net.Socket socket, String hugeHeader) throws java.io.IOException {
            var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            var out = socket.getOutputStream();
            while (true) {
                List<String> command = new java.util.ArrayList<>();
                int n = Integer.parseInt(line(in).substring(1));
                for (int i = 0; i < n; i++) {
                    byte[] arg = new byte[Integer.parseInt(line(in).substring(1))];
                    in.readFully(arg);
                    line(in);
                    command.add(new String(arg, StandardCharsets.UTF_8));
                }
                StringBuilder reply = new StringBuilder();
                if (command.get(0).equalsIgnoreCase("SUBSCRIBE")) {
                    for (int i = 1; i < command.size(); i++) {
                        reply.append(bulks("subscribe", command.get(i))).append(':').append(i).append("\r\n");
                    }
                    reply.append(bulks("message", "test:updates", "fine"));
                    reply.append("*3\r\n").append(bulk("message")).append(bulk("test:updates")).append(hugeHeader);
                } else {
                    reply.append("+OK\r\n");
                }
                out.write(reply.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        private static String bulks(String... items) {
            StringBuilder s = new StringBuilder("*" + (items.length + (items[0].equals("subscribe") ? 1 : 0)) + "\r\n");
            for (String item : items) {
                s.append(bulk(item));
            }
            return s.toString();
        }

        private static String bulk(String item) {
            return "$" + item.getBytes(StandardCharsets.UTF_8).length + "\r\n" + item + "\r\n";
        }

        private static String line(java.io.DataInputStream in) throws java.io.IOException {
            StringBuilder s = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new java.io.EOFException();
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            for (java.net.Socket s : clients) {
                s.close();
            }
        }
    }
}
