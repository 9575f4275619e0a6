package io.stocktracker.loadgen.resume;

import io.stocktracker.loadgen.rawclient.QuoteScanner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One client as docs/PROTOCOL.md asks a real one to behave: remembers the highest {@code seq} per symbol, and
 * after any close reconnects (the next edge of the list each attempt, as a load balancer would route it) and
 * subscribes with {@code since}. It counts what a user would notice: how long it was away, the longest time a
 * symbol stayed silent, any seq at or below one it already held (a duplicate), and the seqs skipped while it
 * stayed connected (conflated ticks). Callbacks of one WebSocket never overlap; the phase figures are read
 * under the client's lock.
 */
final class ResumingClient implements WebSocket.Listener {
    private static final ThreadLocal<QuoteScanner> SCANNER = ThreadLocal.withInitial(QuoteScanner::new);

    private final int id;
    private final List<String> symbols;
    private final Map<String, Integer> slots = new HashMap<>();
    private final long[] lastSeq;
    private final long[] lastArrivalNanos;
    private final List<URI> edges;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final StringBuilder partial = new StringBuilder();
    private int edge;
    private int attempt;
    private volatile WebSocket socket;
    private volatile boolean closing;
    private volatile boolean subscribed;
    private long disconnectedAtNanos;

    // the current phase's figures (guarded by this)
    private final PhaseTally tally = new PhaseTally();

    ResumingClient(int id, List<String> symbols, List<URI> edges, HttpClient http, ScheduledExecutorService timer) {
        this.id = id;
        this.symbols = List.copyOf(symbols);
        for (int i = 0; i < symbols.size(); i++) {
            slots.put(symbols.get(i), i);
        }
        this.lastSeq = new long[symbols.size()];
        Arrays.fill(lastSeq, Long.MIN_VALUE);
        this.lastArrivalNanos = new long[symbols.size()];
        this.edges = List.copyOf(edges);
        this.edge = id % edges.size();
        this.http = http;
        this.timer = timer;
    }

    void connect() {
        if (closing) {
            return;
        }
        URI uri = edges.get(edge);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        reconnectLater();
                    }
                });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
        // one send at a time: java.net.http refuses a second while the first is pending
        CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(webSocket);
        for (String json : subscribeMessages()) {
            sent = sent.thenCompose(ws -> ws.sendText(json, true));
        }
    }

    /** The subscribe frames, {@code since} carrying every seq held. */
    synchronized List<String> subscribeMessages() {
        return ResumeRules.subscribeMessages(symbols, k -> lastSeq[slots.get(symbols.get(k))], "resume-" + id);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            byte[] frame = partial.toString().getBytes(StandardCharsets.UTF_8);
            partial.setLength(0);
            onFrame(frame, System.nanoTime());
        }
        webSocket.request(1);
        return null;
    }

    private void onFrame(byte[] frame, long now) {
        QuoteScanner scanner = SCANNER.get();
        if (!scanner.scan(frame, 0, frame.length)) {
            return;
        }
        switch (scanner.type()) {
            case SUBSCRIBED -> onSubscribed(now);
            case PRICE_UPDATE, BATCH_UPDATE -> onQuotes(scanner, frame, now);
            default -> { }
        }
    }

    private synchronized void onSubscribed(long now) {
        if (subscribed) {
            return; // the second subscribe message of a client with more than 50 symbols
        }
        subscribed = true;
        attempt = 0;
        if (disconnectedAtNanos != 0) {
            tally.reconnectNanos.add(now - disconnectedAtNanos);
            disconnectedAtNanos = 0;
        }
    }

    private synchronized void onQuotes(QuoteScanner scanner, byte[] frame, long now) {
        boolean snapshot = scanner.snapshot();
        for (int i = 0; i < scanner.quotes(); i++) {
            Integer slot = slots.get(new String(frame, scanner.symbolOffset(i), scanner.symbolLength(i), StandardCharsets.UTF_8));
            if (slot == null) {
                continue;
            }
            long seq = scanner.seq(i);
            long last = lastSeq[slot];
            if (last != Long.MIN_VALUE && seq <= last) {
                tally.duplicates++;
                continue;
            }
            if (!snapshot && last != Long.MIN_VALUE && seq > last + 1 && !tally.disconnected) {
                tally.gapsKeptUp += seq - last - 1;
            }
            if (lastArrivalNanos[slot] != 0) {
                tally.maxSilenceNanos = Math.max(tally.maxSilenceNanos, now - lastArrivalNanos[slot]);
            }
            lastSeq[slot] = seq;
            lastArrivalNanos[slot] = now;
            tally.quotes++;
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        disconnected(statusCode == WebSocket.NORMAL_CLOSURE || statusCode == 1001);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        disconnected(false);
    }

    private void disconnected(boolean goingAway) {
        synchronized (this) {
            socket = null;
            subscribed = false;
            partial.setLength(0);
            if (disconnectedAtNanos == 0) {
                disconnectedAtNanos = System.nanoTime();
            }
            tally.disconnected = true;
            tally.drops++;
        }
        if (goingAway) {
            edge = (edge + 1) % edges.size();
            timer.execute(this::connect); // PROTOCOL.md: after 1001 reconnect at once, to another edge
        } else {
            reconnectLater();
        }
    }

    /** 250 ms doubling to 4 s, full jitter, the next edge each attempt. */
    private void reconnectLater() {
        if (closing) {
            return;
        }
        edge = (edge + 1) % edges.size();
        timer.schedule(this::connect, ResumeRules.backoffMillis(attempt++), TimeUnit.MILLISECONDS);
    }

    boolean subscribed() {
        return subscribed;
    }

    /** The edge (index in the list) this client is subscribed on, or -1. */
    int subscribedEdge() {
        return subscribed ? edge : -1;
    }

    /** Ends the current phase: its figures, and the longest silence still running counted up to now. */
    synchronized PhaseTally takeTally(long now) {
        for (long t : lastArrivalNanos) {
            if (t != 0) {
                tally.maxSilenceNanos = Math.max(tally.maxSilenceNanos, now - t);
            }
        }
        PhaseTally done = tally.copy();
        tally.reset();
        return done;
    }

    /** Symbols of {@code current} (symbol -> seq) this client holds an older seq of. */
    synchronized int behind(Map<String, Long> current) {
        int n = 0;
        for (int i = 0; i < symbols.size(); i++) {
            Long seq = current.get(symbols.get(i));
            if (seq != null && lastSeq[i] < seq) {
                n++;
            }
        }
        return n;
    }

    void close() {
        closing = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            ws.abort();
        }
    }
}
