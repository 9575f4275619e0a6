package io.stocktracker.loadgen.client;

import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One simulated browser: connects, subscribes to its symbols, and counts what it receives. Uses the JDK's
 * asynchronous WebSocket, so thousands share a handful of threads. A slow client asks for its next frame
 * only after {@code slowReadDelay}; the JDK then stops reading the socket, and TCP pushes back on the edge.
 */
public final class WsClient {
    private final int id;
    private final List<String> symbols;
    private final GroupStats stats;
    private final Duration slowReadDelay;
    private final ScheduledExecutorService scheduler;
    private final ClientEvents events;
    // guarded by itself: an old socket's last frames may race a new socket's first ones during a storm
    private final Map<String, Long> lastSeqs = new HashMap<>();
    private volatile WebSocket socket;
    private volatile SlowConnection slowConnection;
    private volatile long connectStartedNanos;

    /** What the fleet learns from a client, for its totals. */
    public interface ClientEvents {
        void closedByServer(int statusCode);

        void transportError(Throwable error);
    }

    public WsClient(int id, List<String> symbols, GroupStats stats, Duration slowReadDelay,
                    ScheduledExecutorService scheduler, ClientEvents events) {
        this.id = id;
        this.symbols = List.copyOf(symbols);
        this.stats = stats;
        this.slowReadDelay = slowReadDelay;
        this.scheduler = scheduler;
        this.events = events;
    }

    /**
     * Opens a connection and sends the subscribe (with {@code since} = the last seq held per symbol after a
     * reconnect); the stage completes with the nanoTime of the {@code subscribed} acknowledgement, or
     * exceptionally when the handshake fails or the server closes first.
     */
    public CompletableFuture<Long> connect(HttpClient http, URI url, Duration timeout) {
        connectStartedNanos = System.nanoTime();
        Connection connection = new Connection();
        http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(url, connection)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        connection.subscribed.completeExceptionally(error);
                    }
                });
        return connection.subscribed;
    }

    /**
     * The slow variant: a blocking socket with a tiny receive buffer on its own thread (see {@link SlowConnection}),
     * reading one frame per {@code slowReadDelay}.
     */
    public CompletableFuture<Long> connectSlow(URI url, Duration timeout, int receiveBuffer, java.util.concurrent.ThreadFactory threads) {
        connectStartedNanos = System.nanoTime();
        Map<String, Long> since;
        synchronized (lastSeqs) {
            since = lastSeqs.isEmpty() ? null : Map.copyOf(lastSeqs);
        }
        SlowConnection c = new SlowConnection(url, timeout, receiveBuffer, slowReadDelay,
                JsonCodec.toJson(new Subscribe(symbols, "loadgen-" + id, since)), this::handle, events::closedByServer);
        slowConnection = c;
        threads.newThread(c).start();
        return c.subscribed;
    }

    /** One physical connection: a fresh listener per connect, so a dropped socket's late callbacks touch nothing new. */
    private final class Connection implements WebSocket.Listener {
        final CompletableFuture<Long> subscribed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            Map<String, Long> since;
            synchronized (lastSeqs) {
                since = lastSeqs.isEmpty() ? null : Map.copyOf(lastSeqs);
            }
            webSocket.sendText(JsonCodec.toJson(new Subscribe(symbols, "loadgen-" + id, since)), true);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long receivedMicros = MeasurementWindow.nowMicros();
            if (!last) {
                partial.append(data);
                webSocket.request(1);
                return null;
            }
            String text;
            if (partial.length() > 0) {
                partial.append(data);
                text = partial.toString();
                partial.setLength(0);
            } else {
                text = data.toString();
            }
            if (handle(text, receivedMicros)) {
                subscribed.complete(System.nanoTime());
            }
            requestNext(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // the loadgen negotiates JSON; a binary frame would be a protocol mismatch
            stats.unparsable.increment();
            requestNext(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.closedByServer(statusCode);
            subscribed.completeExceptionally(new IllegalStateException("closed by server: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.transportError(error);
            subscribed.completeExceptionally(error);
        }
    }

    /** Counts the frame; true when it is the subscribe acknowledgement. */
    boolean handle(String text, long receivedMicros) {
        Frame frame;
        try {
            frame = FrameParser.parse(text);
        } catch (IllegalArgumentException e) {
            stats.unparsable.increment();
            return false;
        }
        stats.frames.increment();
        if (frame.isUpdate()) {
            if (Frame.BATCH_UPDATE.equals(frame.type())) {
                stats.batchFrames.increment();
            }
            synchronized (lastSeqs) {
                for (Frame.Entry e : frame.entries()) {
                    stats.onEntry(e, frame.snapshot(), receivedMicros, lastSeqs);
                }
            }
        } else if (Frame.SUBSCRIBED.equals(frame.type())) {
            return true;
        } else if (Frame.ERROR.equals(frame.type())) {
            stats.onError(frame.code());
        }
        return false;
    }

    private void requestNext(WebSocket webSocket) {
        if (slowReadDelay != null && !slowReadDelay.isZero()) {
            scheduler.schedule(() -> webSocket.request(1), slowReadDelay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            webSocket.request(1);
        }
    }

    /** Drops the TCP connection without a close handshake, as a network failure would. */
    public void drop() {
        SlowConnection slow = slowConnection;
        if (slow != null) {
            slow.drop();
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    public CompletableFuture<?> close() {
        SlowConnection slow = slowConnection;
        if (slow != null) {
            slow.close();
        }
        WebSocket ws = socket;
        if (ws == null || ws.isOutputClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        return ws.sendClose(WebSocket.NORMAL_CLOSURE, "loadgen done").exceptionally(e -> {
            ws.abort();
            return null;
        });
    }

    public long connectStartedNanos() {
        return connectStartedNanos;
    }

    public boolean slow() {
        return slowReadDelay != null && !slowReadDelay.isZero();
    }

    public int id() {
        return id;
    }

    public List<String> symbols() {
        return symbols;
    }
}
