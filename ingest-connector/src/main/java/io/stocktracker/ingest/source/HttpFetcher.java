package io.stocktracker.ingest.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client of the connector: GET with connect and request timeouts, outcome typed. A provider is
 * outside: a redirect is returned as its 3xx answer, never followed (it would carry the API key to another host),
 * and a body is read up to the fetcher's cap, beyond which the answer is a PROVIDER_ERROR.
 */
public final class HttpFetcher {
    /** A quote batch is a few KB: anything near this is not a quote answer, and never gets to fill the heap. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** A provider's whole symbol listing (Twelve Data /stocks is a few MB of JSON): fetched once a day, by one reader. */
    public static final int MAX_LISTING_BYTES = 32 << 20;

    /** A response (any status) or a transport failure (TIMEOUT / HTTP_ERROR / PROVIDER_ERROR for an oversized body). */
    public record Outcome(int status, String body, SourceFailure failure) {
        public boolean answered() {
            return failure == null;
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    /** Connecting, then the whole answer: the request timeout alone covers only the wait for the headers. */
    private final Duration answerDeadline;
    private final int maxBodyBytes;

    public HttpFetcher(Duration connectTimeout, Duration requestTimeout) {
        this(connectTimeout, requestTimeout, MAX_BODY_BYTES);
    }

    public HttpFetcher(Duration connectTimeout, Duration requestTimeout, int maxBodyBytes) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
        this.answerDeadline = connectTimeout.plus(requestTimeout);
        this.maxBodyBytes = maxBodyBytes;
    }

    public Outcome get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "stocktracker-ingest")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, info -> new CappedBody(maxBodyBytes));
        try {
            // bounds the body's arrival too: a provider dripping bytes cannot hold the fetch cycle
            HttpResponse<byte[]> response = pending.get(answerDeadline.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), null);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return timeout(uri);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return timeout(uri);
            }
            if (cause instanceof BodyTooLarge || cause != null && cause.getCause() instanceof BodyTooLarge) {
                return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.PROVIDER_ERROR,
                        "answer from " + uri.getHost() + " is more than " + maxBodyBytes + " bytes"));
            }
            return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.HTTP_ERROR, "connection to " + uri.getHost() + " failed: "
                    + (cause instanceof IOException ? cause.toString() : String.valueOf(cause))));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.TIMEOUT, "interrupted"));
        }
    }

    private static Outcome timeout(URI uri) {
        return new Outcome(0, null, SourceFailure.of(SourceFailure.Reason.TIMEOUT, "no answer from " + uri.getHost() + " within timeout"));
    }

    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(int cap) {
            super("body over " + cap + " bytes");
        }
    }

    /** Collects the body up to {@code cap} bytes and cancels the stream at the first byte beyond. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (bytes.size() + b.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLarge(cap));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
