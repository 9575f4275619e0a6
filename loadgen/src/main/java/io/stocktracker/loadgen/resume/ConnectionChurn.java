package io.stocktracker.loadgen.resume;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.Unsubscribe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection churn for a soak: every second {@code perSecond} clients join (each subscribing to a few random
 * symbols), as many of the oldest leave once {@code lifetime} has passed, and one in three of those present swaps a
 * symbol (unsubscribe one, subscribe another). Nothing here is measured beyond counts: it is the load whose leaks
 * a soak looks for.
 */
public final class ConnectionChurn implements AutoCloseable {
    private final List<URI> edges;
    private final List<String> symbols;
    private final int perSecond;
    private final Duration lifetime;
    private final Random random = new Random(7);
    private final Deque<Member> members = new ArrayDeque<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "churn-client");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "churn");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong joined = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long ticks;

    public ConnectionChurn(List<URI> edges, List<String> symbols, int perSecond, Duration lifetime) {
        this.edges = List.copyOf(edges);
        this.symbols = List.copyOf(symbols);
        this.perSecond = perSecond;
        this.lifetime = lifetime;
    }

    public void start() {
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            ticks++;
            long now = System.nanoTime();
            while (!members.isEmpty() && now - members.peekFirst().joinedNanos > lifetime.toNanos()) {
                members.pollFirst().leave();
                left.incrementAndGet();
            }
            for (Member m : members) {
                if (random.nextInt(3) == 0) {
                    m.swap();
                }
            }
            for (int i = 0; i < perSecond; i++) {
                Member m = new Member(pick(5), edges.get((int) ((ticks + i) % edges.size())));
                members.addLast(m);
                m.join();
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
        }
    }

    private List<String> pick(int n) {
        List<String> out = new ArrayList<>();
        while (out.size() < Math.min(n, symbols.size())) {
            String s = symbols.get(random.nextInt(symbols.size()));
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    public long joined() {
        return joined.get();
    }

    public long left() {
        return left.get();
    }

    public long swaps() {
        return swaps.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Member m : members) {
            m.leave();
        }
        executor.shutdownNow();
    }

    private final class Member implements WebSocket.Listener {
        final List<String> held;
        final URI edge;
        final long joinedNanos = System.nanoTime();
        volatile WebSocket socket;

        Member(List<String> held, URI edge) {
            this.held = new ArrayList<>(held);
            this.edge = edge;
        }

        void join() {
            http.newWebSocketBuilder().buildAsync(edge, this).whenComplete((ws, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                } else {
                    joined.incrementAndGet();
                }
            });
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(Long.MAX_VALUE);
            webSocket.sendText(JsonCodec.toJson(new Subscribe(List.copyOf(held))), true);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return null;
        }

        /** Called from the churn thread only; sends are queued by the WebSocket one after another. */
        synchronized void swap() {
            WebSocket ws = socket;
            if (ws == null || held.isEmpty()) {
                return;
            }
            String out = held.remove(0);
            String in = pick(1).get(0);
            held.add(in);
            ws.sendText(JsonCodec.toJson(new Unsubscribe(List.of(out))), true)
                    .thenCompose(w -> w.sendText(JsonCodec.toJson(new Subscribe(List.of(in))), true));
            swaps.incrementAndGet();
        }

        void leave() {
            WebSocket ws = socket;
            if (ws != null) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "leaving").whenComplete((w, e) -> ws.abort());
            }
        }
    }
}
