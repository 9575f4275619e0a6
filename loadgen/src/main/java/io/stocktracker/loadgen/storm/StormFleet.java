package io.stocktracker.loadgen.storm;

import io.stocktracker.loadgen.rawclient.HeldSeqs;
import io.stocktracker.loadgen.rawclient.QuoteScanner;
import io.stocktracker.loadgen.rawclient.SymbolIndex;
import io.stocktracker.loadgen.resume.ResumeRules;
import io.stocktracker.loadgen.wire.Ending;
import io.stocktracker.loadgen.wire.RawConnection;
import io.stocktracker.loadgen.wire.SelectorLoop;
import io.stocktracker.schemas.contract.CloseCode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Clients that come back as docs/PROTOCOL.md asks, cheap enough for 10,000 in one JVM: raw RFC 6455 connections
 * ({@link RawConnection}), ONE {@link SelectorLoop} thread for all of them (the storm's first version, one
 * {@code java.net.http} WebSocket per client, spent its time in GC at 2,000). Each client remembers the highest seq per
 * symbol; after the edge closes with 1001 it reconnects at once, after any other loss (RST, refused, timeout) with
 * {@link ResumeRules#backoffMillis} (the chaos clients' schedule), each attempt to the next edge of the list; it waits for
 * {@code connected} and subscribes with {@code since}. Everything per client is touched by the loop's thread only;
 * other threads ask through {@link SelectorLoop#call}.
 */
public final class StormFleet implements AutoCloseable {
    /** Generous: a client that gives up on a busy edge and queues again only makes the storm longer. */
    private static final long ATTEMPT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<URI> edges;
    private final List<String> allSymbols;
    private final SymbolIndex symbols;
    private final List<Client> clients = new ArrayList<>();
    private final PriorityQueue<Client> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final QuoteScanner scanner = new QuoteScanner();
    private final SelectorLoop loop;
    private final StormTally tally = new StormTally();
    private volatile boolean running = true;
    private volatile int subscribed;

    public StormFleet(List<URI> edges, List<String> allSymbols, List<List<String>> symbolsPerClient) throws IOException {
        this.edges = List.copyOf(edges);
        this.allSymbols = List.copyOf(allSymbols);
        this.symbols = new SymbolIndex(allSymbols);
        List<HeldSeqs> held = HeldSeqs.perClient(symbols, symbolsPerClient);
        for (int i = 0; i < held.size(); i++) {
            clients.add(new Client(i, symbolsPerClient.get(i), held.get(i), i % this.edges.size()));
        }
        this.loop = new SelectorLoop("storm-clients", this::openDue, this::timeOut, () -> clients.forEach(Client::abort));
    }

    /** Opens every client, {@code perSecond} a second, and waits until all are subscribed or {@code timeout} passed. */
    public boolean connectAll(int perSecond, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        loop.call(() -> {
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
        return loop.call(() -> {
            long now = System.nanoTime();
            long behind = 0;
            for (Client c : clients) {
                int b = c.held.behind(want);
                behind += b;
                if (b == 0 && c.isSubscribed && c.droppedAtNanos != 0) {
                    tally.resynced(c.droppedAtNanos, now);
                    c.droppedAtNanos = 0;
                }
            }
            return behind;
        });
    }

    /** Forgets the figures so far. */
    public void startPhase() throws InterruptedException {
        loop.call(() -> {
            takePhase();
            return null;
        });
    }

    /** The figures since {@link #startPhase}, and starts the next phase. */
    public StormFigures endPhase() throws InterruptedException {
        return loop.call(this::takePhase);
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
        return tally.take(clients.size(), dropped, back);
    }

    /** After each select: opens the clients now due; returns how long the loop may wait for the next. */
    private long openDue(long now) {
        Client next;
        while ((next = due.peek()) != null && next.dueNanos <= now) {
            due.poll();
            next.open();
        }
        next = due.peek();
        return next == null ? 100 : Math.min(100, Math.max(0, (next.dueNanos - now) / 1_000_000));
    }

    private void timeOut(long now) {
        for (Client c : clients) {
            if (!c.waiting && !c.isSubscribed && c.connection != null && c.connection.liveLongerThan(ATTEMPT_TIMEOUT_NANOS, now)) {
                c.lost(false);
            }
        }
    }

    /** One client; the loop's thread only. */
    private final class Client implements RawConnection.Listener {
        final int id;
        final List<String> names;
        final HeldSeqs held;
        int edge;
        int attempt;
        boolean waiting;
        long dueNanos;
        RawConnection connection;
        boolean isSubscribed;
        boolean droppedThisPhase;
        /** When the current absence began (0: not away, or already counted as resynced). */
        long droppedAtNanos;

        Client(int id, List<String> names, HeldSeqs held, int edge) {
            this.id = id;
            this.names = List.copyOf(names);
            this.held = held;
            this.edge = edge;
        }

        void scheduleAt(long at) {
            waiting = true;
            dueNanos = at;
            due.add(this);
        }

        void open() {
            waiting = false;
            if (!running) {
                return;
            }
            connection = new RawConnection(loop, edges.get(edge), this);
            connection.open();
        }

        @Override
        public void upgraded() {
            // PROTOCOL.md: the client subscribes once the edge says connected
        }

        @Override
        public void text(byte[] a, int off, int len) {
            if (!scanner.scan(a, off, len)) {
                return;
            }
            switch (scanner.type()) {
                case CONNECTED -> subscribe();
                case SUBSCRIBED -> subscribedNow(loop.readNanos());
                case PRICE_UPDATE, BATCH_UPDATE -> quotes(a);
                default -> { }
            }
        }

        @Override
        public void ended(Ending ending) {
            lost(ending.kind() == Ending.Kind.CLOSED_BY_SERVER && ending.closeCode() == CloseCode.GOING_AWAY.code());
        }

        void subscribe() {
            RawConnection c = connection; // a failed send ends it and clears the field; the rest go nowhere
            for (String json : ResumeRules.subscribeMessages(names, held::seq, "storm-" + id)) {
                c.sendText(json.getBytes(StandardCharsets.UTF_8));
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
                tally.subscribed(droppedAtNanos, now);
            }
        }

        void quotes(byte[] a) {
            for (int i = 0; i < scanner.quotes(); i++) {
                int slot = held.slot(symbols.indexOf(a, scanner.symbolOffset(i), scanner.symbolLength(i)));
                if (slot < 0) {
                    continue;
                }
                long seq = scanner.seq(i);
                if (held.seq(slot) != Long.MIN_VALUE && seq <= held.seq(slot)) {
                    tally.duplicates++;
                    continue;
                }
                held.hold(slot, seq);
            }
        }

        /** The connection is gone (or never came): count it, and come back as PROTOCOL.md says. */
        void lost(boolean goingAway) {
            if (waiting) {
                return;
            }
            abort();
            tally.closes++;
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
                scheduleAt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ResumeRules.backoffMillis(attempt++)));
            }
        }

        void abort() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    /** Stops the loop and closes every socket (the edge sees the clients go). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.stop();
    }
}
