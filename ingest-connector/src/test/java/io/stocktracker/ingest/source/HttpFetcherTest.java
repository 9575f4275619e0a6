package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A provider is outside: its answers are bounded, and it cannot send the connector (and its API key) elsewhere. */
class HttpFetcherTest {
    private final HttpFetcher http = new HttpFetcher(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private final AtomicInteger elsewhereHits = new AtomicInteger();
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", base + "/elsewhere");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/elsewhere", ex -> {
            elsewhereHits.incrementAndGet();
            write(ex, "{\"followed\":true}".getBytes(StandardCharsets.UTF_8), true);
        });
        server.createContext("/huge", ex -> write(ex, new byte[HttpFetcher.MAX_BODY_BYTES + 1], true));
        server.createContext("/huge-chunked", ex -> write(ex, new byte[8 * HttpFetcher.MAX_BODY_BYTES], false));
        server.createContext("/at-cap", ex -> write(ex, new byte[HttpFetcher.MAX_BODY_BYTES], true));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRedirectIsAnAnswerNotFollowed() {
        HttpFetcher.Outcome outcome = http.get(URI.create(base + "/redirect"));

        assertThat(outcome.status()).isEqualTo(302);
        assertThat(elsewhereHits).hasValue(0);
    }

    @Test
    void aBodyOverTheCapIsAProviderErrorWhetherDeclaredOrStreamed() {
        for (String path : new String[] {"/huge", "/huge-chunked"}) {
            HttpFetcher.Outcome outcome = http.get(URI.create(base + path));

            assertThat(outcome.answered()).as(path).isFalse();
            assertThat(outcome.failure().reason()).as(path).isEqualTo(Reason.PROVIDER_ERROR);
            assertThat(outcome.failure().detail()).as(path).contains("more than " + HttpFetcher.MAX_BODY_BYTES + " bytes");
        }
    }

    @Test
    void aBodyAtTheCapIsRead() {
        HttpFetcher.Outcome outcome = http.get(URI.create(base + "/at-cap"));

        assertThat(outcome.answered()).isTrue();
        assertThat(outcome.body()).hasSize(HttpFetcher.MAX_BODY_BYTES);
    }

    @Test
    void aListingFetcherReadsAWholeListingPastTheQuoteCapAndStopsAtItsOwn() {
        HttpFetcher listings = new HttpFetcher(Duration.ofSeconds(2), Duration.ofSeconds(5), 2 * HttpFetcher.MAX_BODY_BYTES);

        assertThat(listings.get(URI.create(base + "/huge")).body()).hasSize(HttpFetcher.MAX_BODY_BYTES + 1);
        HttpFetcher.Outcome over = listings.get(URI.create(base + "/huge-chunked"));
        assertThat(over.failure().reason()).isEqualTo(Reason.PROVIDER_ERROR);
        assertThat(over.failure().detail()).contains("more than " + 2 * HttpFetcher.MAX_BODY_BYTES + " bytes");
    }

    private static void write(com.sun.net.httpserver.HttpExchange ex, byte[] body, boolean declareLength) throws IOException {
        ex.sendResponseHeaders(200, declareLength ? body.length : 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the client hung up after its cap: expected
        }
    }
}
