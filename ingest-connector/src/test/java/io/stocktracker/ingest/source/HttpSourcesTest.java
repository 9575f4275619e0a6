package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stocktracker.infra.FreePorts;
import io.stocktracker.ingest.Payloads;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real HTTP client code against a local server serving the providers' documented payloads. */
class HttpSourcesTest {
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** A request timeout well under the stub's 3 s hang, yet roomy enough for a loaded machine's first request. */
    private final HttpFetcher http = new HttpFetcher(Duration.ofSeconds(2), Duration.ofMillis(1500));
    private HttpServer server;

    private String serve(Function<String, String> bodyForQuery) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", ex -> {
            String query = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestURI().getPath() + "?" + query);
            String body = bodyForQuery.apply(query);
            if (body.equals("HANG")) {
                sleep(3_000);
                body = "{}";
            }
            respond(ex, body);
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void twelveDataAsksForTheWholeBatchInOneRequest() throws IOException {
        String base = serve(q -> Payloads.read("twelvedata/quote-batch.json"));
        TwelveDataSource source = new TwelveDataSource(base, "td-key", 120, http, Clock.systemUTC());

        Map<String, FetchResult> results = source.fetch(List.of("AAPL", "MSFT", "NOPE"));

        assertThat(requests).containsExactly("/quote?symbol=AAPL,MSFT,NOPE&apikey=td-key");
        assertThat(results.get("AAPL").ok()).isTrue();
        assertThat(results.get("MSFT").ok()).isTrue();
        assertThat(((FetchResult.Failed) results.get("NOPE")).failure().reason()).isEqualTo(Reason.UNKNOWN_SYMBOL);
    }

    @Test
    void alphaVantageAsksPerSymbolAndStopsAtTheFirstQuotaRefusal() throws IOException {
        String base = serve(q -> q.contains("symbol=IBM") ? Payloads.read("alphavantage/global-quote.json") : Payloads.read("alphavantage/note.json"));
        AlphaVantageSource source = new AlphaVantageSource(base, "av-key", http, Clock.systemUTC());

        Map<String, FetchResult> results = source.fetch(List.of("IBM", "MSFT", "AAPL"));

        assertThat(requests).containsExactly(
                "/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=av-key",
                "/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=av-key");
        assertThat(results.get("IBM").ok()).isTrue();
        assertThat(((FetchResult.Failed) results.get("MSFT")).failure().reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(((FetchResult.Failed) results.get("AAPL")).failure().reason()).isEqualTo(Reason.RATE_LIMITED);
    }

    @Test
    void slowProviderIsATimeout() throws IOException {
        String base = serve(q -> "HANG");
        TwelveDataSource source = new TwelveDataSource(base, "td-key", 120, http, Clock.systemUTC());

        FetchResult result = source.fetch(List.of("AAPL")).get("AAPL");

        assertThat(((FetchResult.Failed) result).failure().reason()).isEqualTo(Reason.TIMEOUT);
    }

    @Test
    void unreachableProviderIsAnHttpError() {
        AlphaVantageSource source = new AlphaVantageSource("http://127.0.0.1:" + FreePorts.next(), "av-key", http, Clock.systemUTC());

        FetchResult result = source.fetch(List.of("IBM")).get("IBM");

        assertThat(((FetchResult.Failed) result).failure().reason()).isEqualTo(Reason.HTTP_ERROR);
        assertThat(((FetchResult.Failed) result).failure().detail()).doesNotContain("av-key");
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (timeout test)
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
