package io.stocktracker.loadgen.storm;

import io.stocktracker.loadgen.rawclient.QuoteScanner;
import io.stocktracker.loadgen.rawclient.SymbolIndex;
import io.stocktracker.loadgen.rawclient.WsFrames;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Clients that come back as docs/PROTOCOL.md asks, cheap enough for 10,000 in one JVM: raw RFC 6455 on non-blocking
 * sockets, ONE selector thread for all of them (the storm's first version, one {@code java.net.http} WebSocket per
 * client, spent its time in GC at 2,000). Each client remembers the highest seq per symbol; after the edge closes with
 * 1001 it reconnects at once, after any other loss (RST, refused, timeout) with {@link #backoffMillis} (the chaos
 * clients' schedule), each attempt to the next edge of the list; it waits for {@code connected} and subscribes with
 * {@code since}. Everything per client is touched by the selector thread only; other threads ask through
 * {@link #call}.
 */
public final class StormFleet implements AutoCloseable {
    private static final int READ_BUFFER = 256 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
    private static final int MAX_FRAME = 16 * 1024 * 1024;
    /** PROTOCOL.md: at most 50 symbols per subscribe. */
    private static final int MAX_SYMBOLS_PER_MESSAGE = 50;
    /** Generous: a client that gives up on a busy edge and queues again only makes the storm longer. */
    private static final long ATTEMPT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<URI> edges;
    private final List<String> allSymbols;
    private final SymbolIndex symbols;
    private final List<Client> clients = new ArrayList<>();
    private final PriorityQueue<Client> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final QuoteScanner scanner = new QuoteScanner();
    private final WsFrames.Header header = new WsFrames.Header();
    private final Selector selector;
    private final Thread thread;
    private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    private volatile boolean running = true;
    private volatile int subscribed;

    // the phase's figures, selector thread only
    private Histogram toSubscribed = histogram();
    private Histogram toResynced = histogram();
    private long duplicates;
    private long closes;

    public StormFleet(List<URI> edges, List<String> allSymbols, List<List<String>> symbolsPerClient) throws IOException {
        this.edges = List.copyOf(edges);
        this.allSymbols = List.copyOf(allSymbols);
        this.symbols = new SymbolIndex(allSymbols);
        for (int i = 0; i < symbolsPerClient.size(); i++) {
            List<String> mine = symbolsPerClient.get(i);
            int[] idx = new int[mine.size()];
            for (int k = 0; k < idx.length; k++) {
                byte[] s = mine.get(k).getBytes(StandardCharsets.UTF_8);
                idx[k] = symbols.indexOf(s, 0, s.length);
                if (idx[k] < 0) {
                    throw new IllegalArgumentException("client " + i + " symbol " + mine.get(k) + " is not one of the run's");
                }
            }
            clients.add(new Client(i, idx, i % this.edges.size()));
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "storm-clients");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** PROTOCOL.md's chaos schedule: 250 ms doubling to 4 s, each wait drawn from the upper half (jitter). */
    static long backoffMillis(int attempt) {
        long ceiling = Math.min(4000, 250L << Math.min(attempt, 4));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    private static Histogram histogram() {
        return new Histogram(3_600_000L, 3);
    }

    /** Opens every client, {@code perSecond} a second, and waits until all are subscribed or {@code timeout} passed. */
    public boolean connectAll(int perSecond, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        call(() -> {
            for (Client c : clients) {
                c.scheduleAt(start + (perSecond <= 0 ? 0 : (long) (c.id * 1e9 / perSecond)));
            }
            return null;
        });
        return awaitAllSubscribed(timeout);
    }

    public boolean awaitAllSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscribed < clients.size()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public int subscribed() {
        return subscribed;
    }

    public int size() {
        return clients.size();
    }

    /**
     * Checks every client against {@code current} (symbol -> seq, read from the source of truth before this call):
     * a client back from a drop that holds each of its symbols at or above it counts as resynced now.
     * @return (client, symbol) pairs still behind
     */
    public long resyncCheck(Map<String, Long> current) throws InterruptedException {
        long[] want = new long[allSymbols.size()];
        Arrays.fill(want, Long.MIN_VALUE);
        current.forEach((s, seq) -> {
            int i = allSymbols.indexOf(s);
            if (i >= 0) {
                want[i] = seq;
            }
        });
        return call(() -> {
            long now = System.nanoTime();
            long behind = 0;
            for (Client c : clients) {
                int b = c.behind(want);
                behind += b;
                if (b == 0 && c.isSubscribed && c.droppedAtNanos != 0) {
                    toResynced.recordValue(Math.min(toResynced.getHighestTrackableValue(), (now - c.droppedAtNanos) / 1_000_000));
                    c.droppedAtNanos = 0;
                }
            }
            return behind;
        });
    }

    /** Forgets the figures so far. */
    public void startPhase() throws InterruptedException {
        call(() -> {
            takePhase();
            return null;
        });
    }

    /** The figures since {@link #startPhase}, and starts the next phase. */
    public StormFigures endPhase() throws InterruptedException {
        return call(this::takePhase);
    }

    private StormFigures takePhase() {
        int dropped = 0;
        int back = 0;
        for (Client c : clients) {
            if (c.droppedThisPhase) {
                dropped++;
                if (c.isSubscribed) {
                    back++;
                }
            }
            c.droppedThisPhase = false;
            c.droppedAtNanos = 0;
        }
        StormFigures f = new StormFigures(clients.size(), dropped, back, (int) toResynced.getTotalCount(), toSubscribed,
                toResynced, duplicates, closes);
        toSubscribed = histogram();
        toResynced = histogram();
        duplicates = 0;
        closes = 0;
        return f;
    }

    private <T> T call(Supplier<T> work) throws InterruptedException {
        CompletableFuture<T> answer = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                answer.complete(work.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the storm clients' thread did not answer", e);
        }
    }

    private void loop() {
        long lastTimeoutCheck = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                Client next = due.peek();
                long waitMs = next == null ? 100 : Math.min(100, Math.max(0, (next.dueNanos - now) / 1_000_000));
                if (waitMs == 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMs);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                var keys = selector.selectedKeys();
                if (!keys.isEmpty()) {
                    long at = System.nanoTime();
                    for (SelectionKey key : keys) {
                        ((Client) key.attachment()).ready(key, at);
                    }
                    keys.clear();
                }
                now = System.nanoTime();
                while ((next = due.peek()) != null && next.dueNanos <= now) {
                    due.poll();
                    next.open();
                }
                if (now - lastTimeoutCheck > 100_000_000L) {
                    lastTimeoutCheck = now;
                    for (Client c : clients) {
                        c.checkTimeout(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // one client's trouble must not stop the others; its own state machine has already reacted
            }
        }
        for (Client c : clients) {
            c.abort();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private enum State { WAITING, CONNECTING, HANDSHAKE, OPEN, CLOSED }

    /** One client; selector thread only. */
    private final class Client {
        final int id;
        final int[] symbolIndexes;
        final long[] lastSeq;
        int edge;
        int attempt;
        State state = State.CLOSED;
        long dueNanos;
        long openedNanos;
        SocketChannel channel;
        SelectionKey key;
        boolean isSubscribed;
        boolean droppedThisPhase;
        /** When the current absence began (0: not away, or already counted as resynced). */
        long droppedAtNanos;
        byte[] leftover = new byte[0];
        int leftoverLength;
        byte[] fragments;
        int fragmentsLength;
        ByteBuffer pendingOut;

        Client(int id, int[] symbolIndexes, int edge) {
            this.id = id;
            this.symbolIndexes = symbolIndexes;
            this.lastSeq = new long[symbolIndexes.length];
            Arrays.fill(lastSeq, Long.MIN_VALUE);
            this.edge = edge;
        }

        void scheduleAt(long at) {
            state = State.WAITING;
            dueNanos = at;
            due.add(this);
        }

        void open() {
            if (!running) {
                return;
            }
            openedNanos = System.nanoTime();
            leftoverLength = 0;
            fragmentsLength = 0;
            pendingOut = null;
            URI uri = edges.get(edge);
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                state = State.CONNECTING;
                if (channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()))) {
                    key = channel.register(selector, 0, this);
                    connected();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                lost(false);
            }
        }

        void ready(SelectionKey k, long now) {
            try {
                if (!k.isValid()) {
                    return;
                }
                if (k.isConnectable()) {
                    channel.finishConnect();
                    connected();
                    return;
                }
                if (k.isWritable()) {
                    flush();
                }
                if (k.isReadable()) {
                    read(now);
                }
            } catch (IOException | RuntimeException e) {
                lost(false);
            }
        }

        void connected() throws IOException {
            state = State.HANDSHAKE;
            key.interestOps(SelectionKey.OP_READ);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            URI uri = edges.get(edge);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // the server's Sec-WebSocket-Accept is not checked: the storm talks to its own edge
            send(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        void send(byte[] bytes) throws IOException {
            if (pendingOut != null) {
                ByteBuffer joined = ByteBuffer.allocate(pendingOut.remaining() + bytes.length);
                joined.put(pendingOut).put(bytes).flip();
                pendingOut = joined;
                return;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            channel.write(buf);
            if (buf.hasRemaining()) {
                pendingOut = buf;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }

        void flush() throws IOException {
            if (pendingOut != null) {
                channel.write(pendingOut);
                if (!pendingOut.hasRemaining()) {
                    pendingOut = null;
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                }
            }
        }

        void read(long now) throws IOException {
            while (state == State.HANDSHAKE || state == State.OPEN) {
                in.clear();
                if (leftoverLength > in.capacity() / 2) {
                    in = ByteBuffer.allocate(Math.max(in.capacity() * 2, leftoverLength * 2));
                }
                in.put(leftover, 0, leftoverLength);
                int n = channel.read(in);
                if (n < 0) {
                    lost(false);
                    return;
                }
                int length = in.position();
                int used = state == State.HANDSHAKE ? handshake(in.array(), length) : 0;
                if (state == State.OPEN) {
                    used += frames(in.array(), used, length - used, now);
                }
                if (state != State.HANDSHAKE && state != State.OPEN) {
                    return;
                }
                keep(in.array(), used, length - used);
                if (n == 0 || in.hasRemaining()) {
                    return;
                }
            }
        }

        void keep(byte[] a, int off, int len) {
            if (leftover.length < len) {
                leftover = new byte[Math.max(len, leftover.length * 2)];
            }
            System.arraycopy(a, off, leftover, 0, len);
            leftoverLength = len;
        }

        int handshake(byte[] a, int length) {
            int endOfHeaders = -1;
            for (int i = 3; i < length; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    endOfHeaders = i + 1;
                    break;
                }
            }
            if (endOfHeaders < 0) {
                if (length > MAX_HANDSHAKE_BYTES) {
                    lost(false);
                }
                return 0;
            }
            // "HTTP/1.1 101": anything else (a draining edge's 503) is a refusal
            if (length < 12 || a[9] != '1' || a[10] != '0' || a[11] != '1') {
                lost(false);
                return length;
            }
            state = State.OPEN;
            return endOfHeaders;
        }

        int frames(byte[] a, int off, int len, long now) throws IOException {
            int p = off;
            int end = off + len;
            while (state == State.OPEN && header.parse(a, p, end - p)) {
                long total = header.headerLength + header.payloadLength;
                if (header.payloadLength < 0 || total > MAX_FRAME) {
                    lost(false);
                    return len;
                }
                if (total > end - p) {
                    break;
                }
                int payload = p + header.headerLength;
                int plen = (int) header.payloadLength;
                switch (header.opcode) {
                    case WsFrames.TEXT, WsFrames.CONTINUATION -> {
                        if (header.fin && fragmentsLength == 0 && header.opcode == WsFrames.TEXT) {
                            message(a, payload, plen, now);
                        } else {
                            appendFragment(a, payload, plen);
                            if (header.fin) {
                                message(fragments, 0, fragmentsLength, now);
                                fragmentsLength = 0;
                            }
                        }
                    }
                    case WsFrames.PING -> send(WsFrames.clientFrame(WsFrames.PONG, Arrays.copyOfRange(a, payload, payload + plen)));
                    case WsFrames.CLOSE -> {
                        int code = plen >= 2 ? ((a[payload] & 0xFF) << 8) | (a[payload + 1] & 0xFF) : 1005;
                        try {
                            send(WsFrames.clientFrame(WsFrames.CLOSE, plen >= 2 ? new byte[] {a[payload], a[payload + 1]} : new byte[0]));
                        } catch (IOException ignored) {
                            // the server may already be gone
                        }
                        lost(code == 1001);
                    }
                    default -> { } // binary, pong
                }
                p += (int) total;
            }
            return p - off;
        }

        void appendFragment(byte[] a, int off, int len) {
            if (fragments == null || fragments.length < fragmentsLength + len) {
                fragments = Arrays.copyOf(fragments == null ? new byte[0] : fragments, Math.max(fragmentsLength + len, 4096) * 2);
            }
            System.arraycopy(a, off, fragments, fragmentsLength, len);
            fragmentsLength += len;
        }

        void message(byte[] a, int off, int len, long now) throws IOException {
            if (!scanner.scan(a, off, len)) {
                return;
            }
            switch (scanner.type()) {
                case CONNECTED -> subscribe();
                case SUBSCRIBED -> subscribedNow(now);
                case PRICE_UPDATE, BATCH_UPDATE -> quotes(a);
                default -> { }
            }
        }

        /** PROTOCOL.md: one subscribe per 50 symbols, {@code since} carrying every seq held. */
        void subscribe() throws IOException {
            for (int from = 0; from < symbolIndexes.length; from += MAX_SYMBOLS_PER_MESSAGE) {
                int to = Math.min(symbolIndexes.length, from + MAX_SYMBOLS_PER_MESSAGE);
                List<String> part = new ArrayList<>();
                Map<String, Long> since = new LinkedHashMap<>();
                for (int k = from; k < to; k++) {
                    String s = allSymbols.get(symbolIndexes[k]);
                    part.add(s);
                    if (lastSeq[k] != Long.MIN_VALUE) {
                        since.put(s, lastSeq[k]);
                    }
                }
                byte[] json = JsonCodec.toJson(new Subscribe(part, "storm-" + id, since.isEmpty() ? null : since))
                        .getBytes(StandardCharsets.UTF_8);
                send(WsFrames.clientFrame(WsFrames.TEXT, json));
            }
        }

        void subscribedNow(long now) {
            if (isSubscribed) {
                return; // the ack of a second subscribe message
            }
            isSubscribed = true;
            subscribed = subscribed + 1;
            attempt = 0;
            if (droppedAtNanos != 0) {
                toSubscribed.recordValue(Math.min(toSubscribed.getHighestTrackableValue(), (now - droppedAtNanos) / 1_000_000));
            }
        }

        void quotes(byte[] a) {
            for (int i = 0; i < scanner.quotes(); i++) {
                int slot = slot(symbols.indexOf(a, scanner.symbolOffset(i), scanner.symbolLength(i)));
                if (slot < 0) {
                    continue;
                }
                long seq = scanner.seq(i);
                if (lastSeq[slot] != Long.MIN_VALUE && seq <= lastSeq[slot]) {
                    duplicates++;
                    continue;
                }
                lastSeq[slot] = seq;
            }
        }

        int slot(int symbolIndex) {
            for (int k = 0; k < symbolIndexes.length; k++) {
                if (symbolIndexes[k] == symbolIndex) {
                    return k;
                }
            }
            return -1;
        }

        int behind(long[] want) {
            int n = 0;
            for (int k = 0; k < symbolIndexes.length; k++) {
                long w = want[symbolIndexes[k]];
                if (w != Long.MIN_VALUE && lastSeq[k] < w) {
                    n++;
                }
            }
            return n;
        }

        void checkTimeout(long now) {
            if ((state == State.CONNECTING || state == State.HANDSHAKE || (state == State.OPEN && !isSubscribed))
                    && now - openedNanos > ATTEMPT_TIMEOUT_NANOS) {
                lost(false);
            }
        }

        /** The connection is gone (or never came): count it, and come back as PROTOCOL.md says. */
        void lost(boolean goingAway) {
            if (state == State.WAITING) {
                return;
            }
            abort();
            closes++;
            if (isSubscribed) {
                isSubscribed = false;
                subscribed = subscribed - 1;
                droppedThisPhase = true;
                if (droppedAtNanos == 0) {
                    droppedAtNanos = System.nanoTime();
                }
            }
            edge = (edge + 1) % edges.size();
            if (goingAway) {
                scheduleAt(System.nanoTime()); // PROTOCOL.md: after 1001 at once, possibly to another edge
            } else {
                scheduleAt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis(attempt++)));
            }
        }

        void abort() {
            state = State.CLOSED;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // gone either way
                }
                channel = null;
            }
        }
    }

    /** Stops the selector thread and closes every socket (the edge sees the clients go). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }
}
