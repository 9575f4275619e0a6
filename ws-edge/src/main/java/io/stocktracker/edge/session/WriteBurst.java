package io.stocktracker.edge.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The first writes one update starts (every idle subscriber's frame), handed to the writer pool as one task per
 * writer thread instead of one task per connection: a fan-out to a hundred idle connections costs two queue
 * hand-offs and wake-ups, not a hundred. Used by one thread (the fan-out loop), then {@link #submit()}ted once.
 */
public final class WriteBurst {
    private final WriterPool writers;
    private final List<Runnable> writes = new ArrayList<>();

    WriteBurst(WriterPool writers) {
        this.writers = writers;
    }

    void add(Runnable write) {
        writes.add(write);
    }

    /** Splits the writes into at most one task per writer thread, in the order they were added. */
    public void submit() {
        int n = writes.size();
        if (n == 0) {
            return;
        }
        int tasks = Math.min(n, writers.threads());
        int from = 0;
        for (int t = 0; t < tasks; t++) {
            int to = from + (n - from) / (tasks - t);
            List<Runnable> share = writes.subList(from, to);
            writers.execute(share.size() == 1 ? share.get(0) : () -> share.forEach(Runnable::run));
            from = to;
        }
    }
}
