package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a browser is told by the edge: the UI's protective headers, and which pages may open {@code /ws}. */
class BrowserFacingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestEdge plain;
    static TestEdge listed;
    static TestEdge anyOrigin;

    @BeforeAll
    static void start() {
        plain = TestEdge.inMemory(Map.of());
        listed = TestEdge.inMemory(Map.of("ALLOWED_ORIGINS", "http://localhost:5173, https://app.example.com"));
        anyOrigin = TestEdge.inMemory(Map.of("ALLOWED_ORIGINS", "*"));
        await().atMost(TestInfra.TIMEOUT).until(() -> plain.ready() && listed.ready() && anyOrigin.ready());
    }

    @AfterAll
    static void stop() {
        for (TestEdge e : new TestEdge[] {plain, listed, anyOrigin}) {
            if (e != null) {
                e.close();
            }
        }
    }

    @Test
    void everyResponseCarriesTheBrowserHeadersAndTheUiMayTalkOnlyToItsOwnHost() throws Exception {
        for (String path : List.of("/", "/index.html", "/config.js", "/api/symbols", "/no-such-page")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                    "connect-src 'self' ws://127.0.0.1:* wss://127.0.0.1:*;");
            assertThat(csp).as(path).doesNotContain("unsafe-inline", "unsafe-eval", " * ", " ws: ", " wss: ");
        }
    }

    @Test
    void byDefaultOnlyTheEdgesOwnPagesAndClientsWithoutAnOriginMayOpenTheSocket() throws Exception {
        assertThat(upgrade(plain, "http://127.0.0.1:" + plain.port()).status).isEqualTo(101);
        assertThat(upgrade(plain, null).status).as("no Origin: not a browser").isEqualTo(101);
        try (RawUpgrade foreign = RawUpgrade.send(plain.port(), "/ws", "Origin: https://evil.example\r\n")) {
            assertThat(foreign.status).isEqualTo(403);
            assertThat(JsonCodec.tree(foreign.body).get("code").asText()).isEqualTo(ErrorCode.FORBIDDEN_ORIGIN.name());
            assertThat(foreign.serverReleasedWithin(2000)).as("refused before the upgrade, and the connection closed").isTrue();
        }
        assertThat(upgrade(plain, "http://127.0.0.1:1").status).as("same host, another port").isEqualTo(403);
        assertThat(upgrade(plain, "null").status).as("a sandboxed page").isEqualTo(403);
    }

    @Test
    void listedOriginsMayOpenTheSocketAndStarAllowsAnyPage() throws Exception {
        assertThat(upgrade(listed, "http://localhost:5173").status).isEqualTo(101);
        assertThat(upgrade(listed, "https://APP.example.com:443").status).as("the same origin, spelt otherwise").isEqualTo(101);
        assertThat(upgrade(listed, "http://app.example.com").status).as("another scheme is another origin").isEqualTo(403);
        assertThat(upgrade(listed, "https://evil.example").status).isEqualTo(403);
        assertThat(upgrade(anyOrigin, "https://evil.example").status).isEqualTo(101);
    }

    private static RawUpgrade upgrade(TestEdge edge, String origin) throws Exception {
        try (RawUpgrade r = RawUpgrade.send(edge.port(), "/ws", origin == null ? "" : "Origin: " + origin + "\r\n")) {
            return r;
        }
    }
}
