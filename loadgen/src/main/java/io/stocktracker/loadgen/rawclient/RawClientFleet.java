package io.stocktracker.loadgen.rawclient;

import io.stocktracker.loadgen.report.DeliveryTimeline;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Every benchmark client in one place: raw RFC 6455 over non-blocking sockets, all served by ONE selector
 * thread, so the load generator stays cheap and its own cost is easy to reason about. Each client connects,
 * subscribes to its symbols, answers pings and counts what arrives: a quote is delivered when its seq is new
 * for that client and symbol and its {@code ingestedAt} (the publish stamp) lies in the window; its latency is
 * the wall clock when {@code read()} returned minus that stamp. Counters other threads watch while the run goes
 * are volatile; the histogram, the timeline and the per-kind maps are read after {@link #close()}.
 */
public final class RawClientFleet implements AutoCloseable {
    private static final int READ_BUFFER = 256 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
    /** Bigger frames are refused: the edge's largest is a batch of MAX_PENDING_SYMBOLS quotes, far below this. */
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final URI url;
    private final InetSocketAddress address;
    private final SymbolIndex symbols;
    private final List<Connection> connections = new ArrayList<>();
    private final MeasurementWindow window;
    private final DeliveryTimeline timeline;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final QuoteScanner scanner = new QuoteScanner();
    private final WsFrames.Header header = new WsFrames.Header();
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final Map<String, Long> errorCodes = new TreeMap<>();
    private final Map<Integer, Long> serverCloses = new TreeMap<>();
    private final Map<String, Long> connectErrorKinds = new TreeMap<>();
    private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    private CountDownLatch settled = new CountDownLatch(0);
    private Semaphore inFlight = new Semaphore(Integer.MAX_VALUE);
    private Duration connectTimeout = Duration.ofSeconds(30);
    private volatile boolean running = true;

    // written by the selector thread only
    private volatile long delivered;
    private volatile long received;
    private volatile long newestIngestedMicros = Long.MIN_VALUE;
    private volatile int subscribed;
    private volatile long firstSubscribedNanos;
    private volatile long lastSubscribedNanos;
    private long duplicates;
    private long outOfOrder;
    private long snapshots;
    private long staleSnapshots;
    private long frames;
    private long batchFrames;
    private long unparsable;
    private long unknownSymbols;
    private long connectErrors;
    private long transportErrors;

    /**
     * @param symbolsPerClient client i subscribes to {@code symbolsPerClient.get(i)}, each one of {@code allSymbols}
     */
    /** {@code options}: what every client subscribes with (null: none). */
    public RawClientFleet(URI url, List<String> allSymbols, List<List<String>> symbolsPerClient, SubscriptionOptions options,
                          MeasurementWindow window, DeliveryTimeline timeline) throws IOException {
        this.url = url;
        this.address = new InetSocketAddress(url.getHost(), url.getPort() > 0 ? url.getPort() : 80);
        this.symbols = new SymbolIndex(allSymbols);
        this.window = window;
        this.timeline = timeline;
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
            connections.add(new Connection(i, idx, JsonCodec.toJson(new Subscribe(mine, "edge-bench-" + i, null, options, null, null))));
        }
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "edge-bench-clients");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Opens every connection, at most {@code ratePerSecond} per second (0 = unpaced) with at most {@code maxInFlight}
     * handshakes pending, and waits until each is subscribed or failed.
     * @return clients subscribed
     */
    public int connectAll(int ratePerSecond, int maxInFlight, Duration timeout) throws InterruptedException {
        connectTimeout = timeout;
        settled = new CountDownLatch(connections.size());
        inFlight = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        for (int i = 0; i < connections.size(); i++) {
            if (ratePerSecond > 0) {
                long wait = start + (long) (i * 1e9 / ratePerSecond) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            if (!inFlight.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                break; // the rest are counted as not settled
            }
            Connection c = connections.get(i);
            submit(() -> c.open());
        }
        settled.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        return subscribed;
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void loop() {
        long lastTimeoutCheck = System.nanoTime();
        while (running) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                var keys = selector.selectedKeys();
                if (!keys.isEmpty()) {
                    long nowMicros = MeasurementWindow.nowMicros();
                    long nowNanos = System.nanoTime();
                    for (SelectionKey key : keys) {
                        Connection c = (Connection) key.attachment();
                        c.ready(key, nowMicros, nowNanos);
                    }
                    keys.clear();
                }
                long now = System.nanoTime();
                if (now - lastTimeoutCheck > 100_000_000L) {
                    lastTimeoutCheck = now;
                    for (Connection c : connections) {
                        c.checkTimeout(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                transportErrors++;
            }
        }
        for (Connection c : connections) {
            c.shutdown();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private enum State { IDLE, CONNECTING, HANDSHAKE, OPEN, CLOSED }

    /** One client. Touched only by the selector thread. */
    private final class Connection {
        final int id;
        final int[] symbolIndexes;
        final long[] lastSeq;
        final String subscribeJson;
        SocketChannel channel;
        SelectionKey key;
        State state = State.IDLE;
        long openedNanos;
        boolean settledOnce;
        boolean isSubscribed;
        byte[] leftover = new byte[0];
        int leftoverLength;
        byte[] fragments;
        int fragmentsLength;
        ByteBuffer pendingOut;
        boolean goodbyeSent;

        Connection(int id, int[] symbolIndexes, String subscribeJson) {
            this.id = id;
            this.symbolIndexes = symbolIndexes;
            this.lastSeq = new long[symbolIndexes.length];
            Arrays.fill(lastSeq, Long.MIN_VALUE);
            this.subscribeJson = subscribeJson;
        }

        void open() {
            openedNanos = System.nanoTime();
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                state = State.CONNECTING;
                if (channel.connect(address)) {
                    key = channel.register(selector, 0, this);
                    connected();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                fail(e.getClass().getSimpleName());
            }
        }

        void ready(SelectionKey k, long nowMicros, long nowNanos) {
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
                    read(nowMicros, nowNanos);
                }
            } catch (java.net.ConnectException e) {
                fail("connection refused");
            } catch (IOException e) {
                if (state == State.OPEN) {
                    transportErrors++;
                    shutdown();
                } else {
                    fail(e.getClass().getSimpleName());
                }
            }
        }

        void connected() throws IOException {
            state = State.HANDSHAKE;
            key.interestOps(SelectionKey.OP_READ);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            if (url.getRawQuery() != null) {
                path += "?" + url.getRawQuery();
            }
            // the server's Sec-WebSocket-Accept is not checked: the benchmark talks to its own edge
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + address.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            send(request.getBytes(StandardCharsets.US_ASCII));
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

        void read(long nowMicros, long nowNanos) throws IOException {
            while (true) {
                in.clear();
                if (leftoverLength > in.capacity() / 2) {
                    in = ByteBuffer.allocate(Math.max(in.capacity() * 2, leftoverLength * 2));
                }
                in.put(leftover, 0, leftoverLength);
                int n = channel.read(in);
                if (n < 0) {
                    if (state == State.HANDSHAKE) {
                        fail("closed during handshake");
                    } else {
                        shutdown();
                    }
                    return;
                }
                int length = in.position();
                int used = state == State.HANDSHAKE ? handshake(in.array(), length) : 0;
                if (state == State.OPEN) {
                    used += frames(in.array(), used, length - used, nowMicros, nowNanos);
                }
                if (state == State.CLOSED) {
                    return;
                }
                keep(in.array(), used, length - used);
                if (n == 0 || in.hasRemaining()) {
                    return; // the socket is drained for now
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

        /** Consumes the HTTP response once it is complete; returns the bytes it used. */
        int handshake(byte[] a, int length) throws IOException {
            int endOfHeaders = -1;
            for (int i = 3; i < length; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    endOfHeaders = i + 1;
                    break;
                }
            }
            if (endOfHeaders < 0) {
                if (length > MAX_HANDSHAKE_BYTES) {
                    fail("handshake response too long");
                }
                return 0;
            }
            String status = new String(a, 0, Math.min(endOfHeaders, 64), StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.1 101")) {
                int eol = status.indexOf('\r');
                fail("handshake " + (eol > 0 ? status.substring(0, eol) : status));
                return length;
            }
            state = State.OPEN;
            send(WsFrames.clientFrame(WsFrames.TEXT, subscribeJson.getBytes(StandardCharsets.UTF_8)));
            return endOfHeaders;
        }

        /** Handles every complete frame in {@code a[off, off+len)}; returns the bytes consumed. */
        int frames(byte[] a, int off, int len, long nowMicros, long nowNanos) throws IOException {
            int p = off;
            int end = off + len;
            while (state == State.OPEN && header.parse(a, p, end - p)) {
                long total = header.headerLength + header.payloadLength;
                if (header.payloadLength < 0 || total > MAX_FRAME) {
                    transportErrors++;
                    shutdown();
                    return len;
                }
                if (total > end - p) {
                    break;
                }
                int payload = p + header.headerLength;
                int plen = (int) header.payloadLength;
                if (header.masked) {
                    for (int i = 0; i < plen; i++) {
                        a[payload + i] ^= header.mask[i & 3];
                    }
                }
                switch (header.opcode) {
                    case WsFrames.TEXT, WsFrames.CONTINUATION -> {
                        if (header.fin && fragmentsLength == 0 && header.opcode == WsFrames.TEXT) {
                            message(a, payload, plen, nowMicros, nowNanos);
                        } else {
                            appendFragment(a, payload, plen);
                            if (header.fin) {
                                message(fragments, 0, fragmentsLength, nowMicros, nowNanos);
                                fragmentsLength = 0;
                            }
                        }
                    }
                    case WsFrames.PING -> send(WsFrames.clientFrame(WsFrames.PONG, Arrays.copyOfRange(a, payload, payload + plen)));
                    case WsFrames.CLOSE -> {
                        int code = plen >= 2 ? ((a[payload] & 0xFF) << 8) | (a[payload + 1] & 0xFF) : 1005;
                        if (!goodbyeSent) {
                            serverCloses.merge(code, 1L, Long::sum); // the server's own close, not its echo of ours
                        }
                        try {
                            send(WsFrames.clientFrame(WsFrames.CLOSE, plen >= 2 ? new byte[] {a[payload], a[payload + 1]} : new byte[0]));
                        } catch (IOException ignored) {
                            // the server may already be gone
                        }
                        shutdown();
                    }
                    case WsFrames.BINARY -> unparsable++;
                    default -> { } // pong
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

        void message(byte[] a, int off, int len, long nowMicros, long nowNanos) {
            if (!scanner.scan(a, off, len)) {
                unparsable++;
                return;
            }
            frames++;
            switch (scanner.type()) {
                case SUBSCRIBED -> subscribedNow(nowNanos);
                case ERROR -> errorCodes.merge(String.valueOf(scanner.code()), 1L, Long::sum);
                case BATCH_UPDATE, PRICE_UPDATE -> quotes(a, nowMicros, nowNanos);
                default -> { }
            }
        }

        void subscribedNow(long nowNanos) {
            if (isSubscribed) {
                return;
            }
            isSubscribed = true;
            if (subscribed == 0) {
                firstSubscribedNanos = nowNanos;
            }
            lastSubscribedNanos = nowNanos;
            subscribed = subscribed + 1;
            settle();
        }

        void quotes(byte[] a, long nowMicros, long nowNanos) {
            if (scanner.type() == QuoteScanner.Type.BATCH_UPDATE) {
                batchFrames++;
            }
            int n = scanner.quotes();
            boolean snapshot = scanner.snapshot();
            if (!snapshot) {
                received = received + n;
                timeline.record(nowNanos, n);
            }
            long newDelivered = 0;
            for (int i = 0; i < n; i++) {
                int slot = slot(symbols.indexOf(a, scanner.symbolOffset(i), scanner.symbolLength(i)));
                if (slot < 0) {
                    unknownSymbols++;
                    continue;
                }
                long seq = scanner.seq(i);
                long last = lastSeq[slot];
                if (seq <= last) {
                    if (snapshot) {
                        staleSnapshots++; // the snapshot came after a newer live update (PROTOCOL.md: snapshots first)
                    } else if (seq == last) {
                        duplicates++;
                    } else {
                        outOfOrder++;
                    }
                    continue;
                }
                lastSeq[slot] = seq;
                if (snapshot) {
                    snapshots++;
                    continue;
                }
                long stamp = scanner.ingestedMicros(i);
                if (stamp > newestIngestedMicros) {
                    newestIngestedMicros = stamp;
                }
                if (window.contains(stamp)) {
                    newDelivered++;
                    latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(0, nowMicros - stamp)));
                }
            }
            if (newDelivered > 0) {
                delivered = delivered + newDelivered;
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

        void checkTimeout(long now) {
            if ((state == State.CONNECTING || state == State.HANDSHAKE || (state == State.OPEN && !isSubscribed))
                    && now - openedNanos > connectTimeout.toNanos()) {
                fail("timeout");
            }
        }

        void fail(String kind) {
            if (!settledOnce) {
                connectErrors++;
                connectErrorKinds.merge(kind, 1L, Long::sum);
            }
            settle();
            shutdown();
        }

        void settle() {
            if (!settledOnce) {
                settledOnce = true;
                inFlight.release();
                settled.countDown();
            }
        }

        void shutdown() {
            if (state == State.CLOSED || state == State.IDLE) {
                return;
            }
            if (state != State.OPEN || !isSubscribed) {
                settle();
            }
            state = State.CLOSED;
            if (isSubscribed) {
                isSubscribed = false;
                subscribed = subscribed - 1;
            }
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // gone either way
            }
        }

        void sayGoodbye() {
            if (state == State.OPEN) {
                goodbyeSent = true;
                try {
                    send(WsFrames.clientFrame(WsFrames.CLOSE, new byte[] {0x03, (byte) 0xE8}));
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** CPU seconds the selector thread (every client) used so far; -1 where the JVM cannot tell. */
    public double clientThreadCpuSeconds() {
        long nanos = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
        return nanos < 0 ? -1 : nanos / 1e9;
    }

    public boolean isSubscribed(int client) {
        return connections.get(client).isSubscribed;
    }

    /** Quotes delivered so far: new seq for the client and symbol, stamped inside the window. */
    public long delivered() {
        return delivered;
    }

    /** Every live quote received (not snapshots), in the window or not. */
    public long received() {
        return received;
    }

    public long newestIngestedMicros() {
        return newestIngestedMicros;
    }

    public int subscribed() {
        return subscribed;
    }

    /** nanoTime of the first and the last subscribe acknowledgement (0 before any). */
    public long firstSubscribedNanos() {
        return firstSubscribedNanos;
    }

    public long lastSubscribedNanos() {
        return lastSubscribedNanos;
    }

    public int size() {
        return connections.size();
    }

    /** Symbol -> number of subscribed clients that asked for it. */
    public Map<String, Integer> subscribersPerSymbol(List<String> allSymbols) {
        Map<String, Integer> out = new HashMap<>();
        for (Connection c : connections) {
            if (c.isSubscribed) {
                for (int s : c.symbolIndexes) {
                    out.merge(allSymbols.get(s), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** The latency of the deliveries counted since the last call (or the start), and starts a new interval. */
    public Histogram takeLatency() throws InterruptedException {
        java.util.concurrent.CompletableFuture<Histogram> taken = new java.util.concurrent.CompletableFuture<>();
        submit(() -> {
            taken.complete(latencyMicros.copy());
            latencyMicros.reset();
        });
        try {
            return taken.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the client thread did not answer", e);
        }
    }

    /** What the clients saw; call after {@link #close()}. */
    public Totals totals() {
        return new Totals(delivered, received, duplicates, outOfOrder, snapshots, staleSnapshots, frames, batchFrames, unparsable,
                unknownSymbols, connectErrors, transportErrors, latencyMicros.copy(), Map.copyOf(errorCodes),
                Map.copyOf(serverCloses), Map.copyOf(connectErrorKinds));
    }

    public record Totals(long delivered, long received, long duplicates, long outOfOrder, long snapshots, long staleSnapshots,
                         long frames,
                         long batchFrames, long unparsable, long unknownSymbols, long connectErrors, long transportErrors,
                         Histogram latencyMicros, Map<String, Long> errorCodes, Map<Integer, Long> serverCloses,
                         Map<String, Long> connectErrorKinds) {
    }

    /** Sends every open client's close frame, stops the selector thread and closes the sockets. */
    @Override
    public void close() throws InterruptedException {
        if (!thread.isAlive()) {
            return;
        }
        CountDownLatch said = new CountDownLatch(1);
        submit(() -> {
            connections.forEach(Connection::sayGoodbye);
            said.countDown();
        });
        said.await(5, TimeUnit.SECONDS);
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }
}
