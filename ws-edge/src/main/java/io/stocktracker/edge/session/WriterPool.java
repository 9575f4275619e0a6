package io.stocktracker.edge.session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Socket writes run here, sized to the cores: one task per connection at most (one write in flight). The fan-out
 * thread writes one share of each update's first writes itself ({@link WriteBurst}); every later write of a
 * connection (the batch that piled up behind a write in flight) comes back here.
 */
public final class WriterPool implements Executor, AutoCloseable {
    private final AtomicInteger n = new AtomicInteger();
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

    @Override
    public void execute(Runnable write) {
        writers.execute(write);
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
