package io.stocktracker.ingest.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The one HTTP client of the connector: GET with connect and request timeouts, outcome typed. */
public final class HttpFetcher {

    /** A response (any status) or a transport failure (TIMEOUT / HTTP_ERROR). */
    public record Outcome(int status, String body, SourceFailure failure) {
        public boolean answered() {
            return failure == null;
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpFetcher(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = requestTimeout;
    }

    public Outcome get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "stocktracker-ingest")
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(response.statusCode(), response.body(), null);
        } catch (HttpTimeoutException e) {
            return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.TIMEOUT, "no answer from " + uri.getHost() + " within timeout"));
        } catch (IOException e) {
            return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.HTTP_ERROR, "connection to " + uri.getHost() + " failed: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.TIMEOUT, "interrupted"));
        }
    }
}
