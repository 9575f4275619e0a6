package io.stocktracker.edge.session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Socket writes run here, sized to the cores: one task per connection at most (one write in flight), so the thread
 * that fans out never does socket I/O.
 */
public final class WriterPool implements Executor, AutoCloseable {
    private final AtomicInteger n = new AtomicInteger();
    private final ExecutorService writers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
            r -> {
                Thread t = new Thread(r, "edge-writer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    @Override
    public void execute(Runnable write) {
        writers.execute(write);
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
