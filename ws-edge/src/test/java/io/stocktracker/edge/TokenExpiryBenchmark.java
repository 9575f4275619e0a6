package io.stocktracker.edge;

import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Token lifetime at scale, not a test: prints figures. N clients whose tokens share one {@code exp}; on
 * {@code token_expiring} the odd ones refresh, the even ones let it expire. Prints how late the notices and the 4001
 * closes are against their due time, how long the refreshes take, and the JVM's thread count with and without the
 * clients (the timers live on one shared scheduler thread). Run with
 * {@code ./mvnw -o -pl ws-edge test -Dtest=TokenExpiryBenchmark -Dbench=true -Dclients=2000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TokenExpiryBenchmark {
    static final String SECRET = "a-benchmark-secret-long-enough-for-hs256";

    @Test
    void run() throws Exception {
        int clients = Integer.getInteger("clients", 2000);
        Duration window = Duration.ofSeconds(5);
        TestEdge edge = TestEdge.real(Map.of("AUTH_MODE", "jwt", "JWT_SECRET", SECRET,
                "TOKEN_REFRESH_WINDOW_MS", String.valueOf(window.toMillis()), "MAX_CONNECTIONS_PER_IP", "1000000",
                "HEARTBEAT_INTERVAL_MS", "60000", "HEARTBEAT_TIMEOUT_MS", "120000"));
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
        HttpClient http = HttpClient.newHttpClient();
        try {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            // every token expires at the same second, far enough out to open every connection first
            Instant exp = Instant.now().plusSeconds(12 + clients / 100).truncatedTo(ChronoUnit.SECONDS);
            List<Timing> timings = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                // a user each: one shared subject would (rightly) hit the per-user message rate with its refreshes
                String user = "bench-" + i;
                String expiring = JWT.create().withSubject(user).withExpiresAt(exp).sign(Algorithm.HMAC256(SECRET));
                String renewed = JWT.create().withSubject(user).withExpiresAt(exp.plusSeconds(3600)).sign(Algorithm.HMAC256(SECRET));
                Timing t = new Timing(i % 2 == 1 ? renewed : null);
                URI uri = URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + expiring);
                http.newWebSocketBuilder().buildAsync(uri, t).get(30, TimeUnit.SECONDS);
                timings.add(t);
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            if (Instant.now().isAfter(exp.minus(window))) {
                throw new IllegalStateException("connecting took " + connectSeconds + " s, past the refresh window: use fewer -Dclients");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> edge.connections().size() == clients);
            int threadsWith = ManagementFactory.getThreadMXBean().getThreadCount();
            await().atMost(Duration.between(Instant.now(), exp).plusSeconds(60))
                    .until(() -> timings.stream().allMatch(Timing::done));

            long dueNotice = exp.minus(window).toEpochMilli();
            long dueClose = exp.toEpochMilli();
            List<Long> noticeLag = new ArrayList<>();
            List<Long> closeLag = new ArrayList<>();
            List<Long> refreshRtt = new ArrayList<>();
            int refreshed = 0;
            int closed4001 = 0;
            for (Timing t : timings) {
                noticeLag.add(t.noticeAt - dueNotice);
                if (t.refreshToken != null) {
                    refreshRtt.add(t.refreshedAt - t.noticeAt);
                    refreshed += t.refreshedAt > 0 ? 1 : 0;
                } else {
                    closeLag.add(t.closedAt - dueClose);
                    closed4001 += t.closeCode == 4001 ? 1 : 0;
                }
            }
            System.out.printf("%n== token lifetime: %d clients (one exp), window %d s ==%n", clients, window.toSeconds());
            System.out.printf("connect: %.1f s; JVM threads: %d before, %d with every client connected%n", connectSeconds,
                    threadsBefore, threadsWith);
            System.out.printf("token_expiring lag after due (ms): %s%n", stats(noticeLag));
            System.out.printf("refresh -> token_refreshed (ms, %d of %d): %s%n", refreshed, refreshRtt.size(), stats(refreshRtt));
            System.out.printf("4001 close lag after exp (ms, %d of %d closed 4001): %s%n", closed4001, closeLag.size(), stats(closeLag));
            System.out.printf("edge still holds %d connections (the refreshed half)%n", edge.connections().size());
        } finally {
            edge.close();
        }
    }

    private static String stats(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return "p50 " + v.get(v.size() / 2) + ", p99 " + v.get(Math.min(v.size() - 1, (int) (v.size() * 0.99))) + ", max " + v.get(v.size() - 1);
    }

    static final class Timing implements WebSocket.Listener {
        final String refreshToken;
        volatile long noticeAt;
        volatile long refreshedAt;
        volatile long closedAt;
        volatile int closeCode;

        Timing(String refreshToken) {
            this.refreshToken = refreshToken;
        }

        boolean done() {
            return refreshToken != null ? refreshedAt > 0 : closedAt > 0;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            String s = data.toString();
            if (s.contains("\"token_expiring\"")) {
                noticeAt = System.currentTimeMillis();
                if (refreshToken != null) {
                    ws.sendText("{\"action\":\"refresh\",\"token\":\"" + refreshToken + "\"}", true);
                }
            } else if (s.contains("\"token_refreshed\"")) {
                refreshedAt = System.currentTimeMillis();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closeCode = code;
            closedAt = System.currentTimeMillis();
            return null;
        }
    }
}
