package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wss/https on the edge itself, HTTPS enforcement, and the client address behind a trusted proxy, over real sockets:
 * one edge terminating TLS (nobody trusted, REQUIRE_HTTPS), one behind a "proxy" (the test itself, from 127.0.0.1,
 * sending the headers nginx sends).
 */
class TransportSecurityTest {
    static Path dir;
    static Path keystore;
    static Path renewed;
    static TestEdge tls;
    static TestEdge proxied;
    static HttpClient https;
    static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("edge-tls-test");
        keystore = TestKeystore.generate(dir);
        renewed = TestKeystore.generate(dir);
        // trusts the certificate the edge starts with and the one a test renews it to, so tests can run in any order
        https = HttpClient.newBuilder().sslContext(TestKeystore.trusting(keystore, renewed))
                .connectTimeout(Duration.ofSeconds(10)).build();
        Path served = Files.copy(keystore, dir.resolve("served.p12"));
        tls = TestEdge.inMemory(Map.of(
                "TLS_KEYSTORE_PATH", served.toString(),
                "TLS_KEYSTORE_PASSWORD", TestKeystore.PASSWORD,
                "TLS_PORT", "0",
                "TLS_KEYSTORE_RELOAD_SECONDS", "1",
                "REQUIRE_HTTPS", "true",
                "MAX_CONNECTIONS_PER_IP", "2"));
        proxied = TestEdge.inMemory(Map.of(
                "TRUSTED_PROXIES", "127.0.0.1, ::1",
                "REQUIRE_HTTPS", "true",
                "MAX_CONNECTIONS_PER_IP", "1"));
        await().atMost(TestInfra.TIMEOUT).until(() -> tls.ready() && proxied.ready());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tls != null) {
            tls.close();
        }
        if (proxied != null) {
            proxied.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    static URI wss(String path) {
        return URI.create("wss://127.0.0.1:" + tls.tlsPort() + path);
    }

    static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void wssClientSubscribesAndReceivesPriceUpdates() {
        assertThat(tls.tlsPort()).isPositive().isNotEqualTo(tls.port());
        try (WsClient c = WsClient.connect(https, wss("/ws"), Map.of())) {
            c.clientId = c.next("connected").get("clientId").asText();
            c.subscribe("TLSQ");
            c.next("subscribed");
            await().until(() -> tls.subscriptions().getSubscribers("TLSQ").contains(c.clientId));
            tls.publish("TLSQ", 101.25);
            assertThat(c.nextPrice("TLSQ", 101.25)).isNotNull();
        }
    }

    @Test
    void httpsRestAnswersWithStrictTransportSecurity() throws Exception {
        HttpResponse<String> r = get(https, "https://127.0.0.1:" + tls.tlsPort() + "/api/symbols");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("[");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=15552000");
    }

    @Test
    void plainHttpPageLoadsAreRedirectedToHttpsButProbesAreNot() throws Exception {
        HttpResponse<String> page = get(PLAIN, "http://127.0.0.1:" + tls.port() + "/api/quotes?symbols=A,B");
        assertThat(page.statusCode()).isEqualTo(308);
        assertThat(page.headers().firstValue("Location"))
                .contains("https://127.0.0.1:" + tls.tlsPort() + "/api/quotes?symbols=A,B");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
        assertThat(get(PLAIN, "http://127.0.0.1:" + tls.port() + "/").statusCode()).isEqualTo(308);
        assertThat(get(PLAIN, "http://127.0.0.1:" + tls.port() + "/health").statusCode()).isEqualTo(200);
        assertThat(get(PLAIN, "http://127.0.0.1:" + tls.port() + "/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void plainWebSocketUpgradeIsRefusedWhenHttpsIsRequired() {
        double rejectedBefore = tls.metrics().rejectedConnections.count();
        assertThatThrownBy(() -> WsClient.connect(PLAIN, URI.create("ws://127.0.0.1:" + tls.port() + "/ws"), Map.of()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        assertThat(tls.metrics().rejectedConnections.count()).isGreaterThan(rejectedBefore);
    }

    @Test
    void perIpCapCountsTheSocketPeerWhenItIsNotATrustedProxy() {
        // earlier tests' sockets close asynchronously; start from none
        await().atMost(TestInfra.TIMEOUT).until(() -> tls.connections().size() == 0);
        try (WsClient a = WsClient.connect(https, wss("/ws"), Map.of("X-Forwarded-For", "203.0.113.1"));
             WsClient b = WsClient.connect(https, wss("/ws"), Map.of("X-Forwarded-For", "203.0.113.2"))) {
            a.next("connected");
            b.next("connected");
            // over the address cap: refused before the upgrade
            assertRefusedWith429(() -> WsClient.connect(https, wss("/ws"), Map.of("X-Forwarded-For", "203.0.113.3")));
        }
    }

    @Test
    void perIpCapCountsTheForwardedClientBehindATrustedProxy() {
        URI ws = URI.create("ws://127.0.0.1:" + proxied.port() + "/ws");
        Map<String, String> nginx = Map.of("X-Forwarded-Proto", "https");
        try (WsClient a = WsClient.connect(PLAIN, ws, with(nginx, "203.0.113.7"));
             WsClient b = WsClient.connect(PLAIN, ws, with(nginx, "2001:db8::7"))) {
            String idA = a.next("connected").get("clientId").asText();
            String idB = b.next("connected").get("clientId").asText();
            assertThat(proxied.connections().get(idA).remoteIp()).isEqualTo("203.0.113.7");
            assertThat(proxied.connections().get(idB).remoteIp()).isEqualTo("2001:db8:0:0:0:0:0:7");
            // the forged left-most entry does not make it a new client: it is 203.0.113.7 again, over the cap of 1
            assertRefusedWith429(() -> WsClient.connect(PLAIN, ws, with(nginx, "198.51.100.1, 203.0.113.7")));
        }
    }

    @Test
    void behindATrustedProxyTheForwardedSchemeDecidesAndTheRedirectUsesThePublicPort() throws Exception {
        String base = "http://127.0.0.1:" + proxied.port();
        HttpResponse<String> viaHttps = get(PLAIN, base + "/api/symbols", "X-Forwarded-Proto", "https",
                "X-Forwarded-For", "203.0.113.8");
        assertThat(viaHttps.statusCode()).isEqualTo(200);
        assertThat(viaHttps.headers().firstValue("Strict-Transport-Security")).contains("max-age=15552000");
        HttpResponse<String> viaHttp = get(PLAIN, base + "/api/symbols", "X-Forwarded-Proto", "http");
        assertThat(viaHttp.statusCode()).isEqualTo(308);
        assertThat(viaHttp.headers().firstValue("Location")).contains("https://127.0.0.1/api/symbols");
        assertThat(get(PLAIN, base + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aRenewedKeystoreFileIsServedToNewHandshakesWithoutARestart() throws Exception {
        java.math.BigInteger renewedSerial = TestKeystore.certificate(renewed).getSerialNumber();
        Files.copy(renewed, dir.resolve("served.p12"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await().atMost(TestInfra.TIMEOUT).until(() -> servedSerial().equals(renewedSerial));
        assertThat(get(https, "https://127.0.0.1:" + tls.tlsPort() + "/health").statusCode()).isEqualTo(200);
    }

    /** The serial of the certificate a fresh handshake presents. */
    private static java.math.BigInteger servedSerial() throws Exception {
        javax.net.ssl.SSLContext ctx = TestKeystore.trusting(keystore, renewed);
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", tls.tlsPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static void assertRefusedWith429(Runnable connect) {
        assertThatThrownBy(connect::run).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(429));
    }

    private static Map<String, String> with(Map<String, String> headers, String forwardedFor) {
        Map<String, String> m = new java.util.HashMap<>(headers);
        m.put("X-Forwarded-For", forwardedFor);
        return m;
    }
}
