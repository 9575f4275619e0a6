package io.stocktracker.edge.session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Socket writes run here, sized to the cores: one task per connection at most (one write in flight). While no write
 * is queued or running, the fan-out thread writes one share of an update's first writes itself ({@link WriteBurst});
 * every later write of a connection (the batch that piled up behind a write in flight) comes back here.
 */
public final class WriterPool implements Executor, AutoCloseable {
    private final AtomicInteger n = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ExecutorService writers = Executors.newFixedThreadPool(threads,
            r -> {
                Thread t = new Thread(r, "edge-writer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    int threads() {
        return threads;
    }

    /** Collects the writes one update starts, to hand them over together. */
    WriteBurst burst() {
        return new WriteBurst(this);
    }

    /** No write queued or running: every writer thread is parked, so a hand-off would have to wake one. */
    boolean idle() {
        return pending.get() == 0;
    }

    @Override
    public void execute(Runnable write) {
        pending.incrementAndGet();
        writers.execute(() -> {
            try {
                write.run();
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
