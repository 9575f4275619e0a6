package io.stocktracker.edge;

import static io.stocktracker.edge.security.TestTokens.claims;
import static io.stocktracker.edge.security.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.classic.util.ContextInitializer;
import io.stocktracker.edge.protocol.ProtocolCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No log line carries a token: the shipped logging configuration (service-kit's {@code logback.xml}), with Jetty and Javalin
 * turned up to DEBUG as an operator chasing a problem would, while tokens arrive in a query string, a bearer
 * subprotocol and an Authorization header.
 */
class LogRedactionTest {
    static final String SECRET = "a-log-redaction-test-secret-long-enough";

    @Test
    void tokensInQueryStringsSubprotocolsAndHeadersNeverReachTheLog() throws Exception {
        TestEdge edge = TestEdge.inMemory(Map.of("AUTH_MODE", "jwt", "JWT_SECRET", SECRET));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String inQuery = hs256(SECRET, claims("log-q", Instant.now().plusSeconds(600)));
        String inSubprotocol = hs256(SECRET, claims("log-s", Instant.now().plusSeconds(600)));
        String inHeader = hs256(SECRET, claims("log-h", Instant.now().plusSeconds(600)));
        String notAJwt = "opaque-token-value-1234";
        try {
            await().atMost(TestInfra.TIMEOUT).until(edge::ready);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            configureShipped(context);
            context.getLogger("org.eclipse.jetty").setLevel(Level.DEBUG);
            context.getLogger("io.javalin").setLevel(Level.DEBUG);
            context.getLogger("io.stocktracker").setLevel(Level.DEBUG);

            try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + inQuery))) {
                c.next("connected");
            }
            try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"),
                    ProtocolCodec.JSON_SUBPROTOCOL, ProtocolCodec.BEARER_PROTOCOL_PREFIX + inSubprotocol)) {
                c.next("connected");
            }
            try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws?token=" + notAJwt))) {
                c.next("error");
            }
            HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + edge.port() + "/api/symbols")).header("Authorization", "Bearer " + inHeader).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rest.statusCode()).isEqualTo(200);
        } finally {
            System.setErr(stderr);
            context.reset();
            new ContextInitializer(context).autoConfig();
            edge.close();
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        for (String secret : List.of(inQuery, inSubprotocol, inHeader, notAJwt, inQuery.substring(0, inQuery.lastIndexOf('.')))) {
            assertThat(log).doesNotContain(secret);
        }
        // the requests were logged at all (Jetty's DEBUG lines name them): else the test proves nothing
        assertThat(log).contains("/ws?token=[redacted]", "/api/symbols", "Authorization: Bearer [redacted]", "bearer.[redacted]");
    }

    /** What a deployable runs with: service-kit's logback.xml (tests otherwise get the module's logback-test.xml). */
    private static void configureShipped(LoggerContext context) throws JoranException {
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(LogRedactionTest.class.getResource("/logback.xml"));
    }
}
