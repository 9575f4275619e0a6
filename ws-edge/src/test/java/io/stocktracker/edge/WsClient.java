package io.stocktracker.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that collects every text frame as JSON. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    record Close(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    String clientId;

    static WsClient connect(int port) {
        return connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    /**
     * A bound, not a wait: a freshly started child edge on a loaded 2-core CI box (parallel reactor, two forks)
     * answered its first upgrade after more than 10 s; a refused or rejected handshake still fails at once.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    static WsClient connect(URI uri, String... subprotocols) {
        WsClient c = new WsClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        c.socket = b.buildAsync(uri, c).orTimeout(HANDSHAKE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS).join();
        return c;
    }

    /** Through the caller's client (e.g. one trusting a test certificate), with extra handshake headers. */
    static WsClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        WsClient c = new WsClient();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
        headers.forEach(b::header);
        c.socket = b.buildAsync(uri, c).orTimeout(HANDSHAKE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS).join();
        return c;
    }

    /** Connects and waits for the {@code connected} greeting. */
    static WsClient open(int port) {
        WsClient c = connect(port);
        c.clientId = c.next("connected").get("clientId").asText();
        return c;
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    void subscribe(String... symbols) {
        send("{\"action\":\"subscribe\",\"symbols\":" + JsonCodec.toJson(List.of(symbols)) + "}");
    }

    void unsubscribe(String... symbols) {
        send("{\"action\":\"unsubscribe\",\"symbols\":" + JsonCodec.toJson(List.of(symbols)) + "}");
    }

    /** The next message of this type; messages of other types before it are dropped. */
    JsonNode next(String type) {
        return next(m -> type.equals(m.path("type").asText()), Duration.ofSeconds(30), type);
    }

    JsonNode next(Predicate<JsonNode> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no " + what + " within " + timeout + (closed.isDone() ? "; closed " + closed.join() : ""));
                }
                if (match.test(m)) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A price for this symbol, live or batched, with at least this price. */
    JsonNode nextPrice(String symbol, double price) {
        return next(m -> priceOf(m, symbol) == price, Duration.ofSeconds(45), symbol + "@" + price);
    }

    static double priceOf(JsonNode m, String symbol) {
        String type = m.path("type").asText();
        if ("price_update".equals(type) && symbol.equals(m.path("symbol").asText())) {
            return m.path("data").path("price").asDouble();
        }
        if ("batch_update".equals(type)) {
            for (JsonNode u : m.path("updates")) {
                if (symbol.equals(u.path("symbol").asText())) {
                    return u.path("data").path("price").asDouble();
                }
            }
        }
        return Double.NaN;
    }

    /** Everything received within the window. */
    List<JsonNode> collect(Duration window) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return out;
                }
                JsonNode m = messages.poll(left, TimeUnit.NANOSECONDS);
                if (m != null) {
                    out.add(m);
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    Close awaitClose() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !closed.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(JsonCodec.tree(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();

    /** MessagePack frames are decoded into the same JSON trees, so assertions read alike. */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partialBinary.write(chunk, 0, chunk.length);
        if (last) {
            try {
                JsonNode node = io.stocktracker.edge.protocol.WireFormat.readMsgpack(partialBinary.toByteArray());
                // count before publishing: a reader that takes the message must see it counted
                binaryFrames++;
                messages.add(node);
            } catch (java.io.IOException e) {
                messages.add(JsonCodec.tree("{\"type\":\"undecodable\"}"));
            }
            partialBinary.reset();
        }
        webSocket.request(1);
        return null;
    }

    volatile int binaryFrames;

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Close(-1, String.valueOf(error)));
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                socket.abort();
            }
        }
    }
}
