package io.stocktracker.edge.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The first writes one update starts (every idle subscriber's frame), split into one share per writer thread plus
 * one the fan-out thread writes itself: a fan-out to a hundred idle connections costs two queue hand-offs and
 * wake-ups, not a hundred, and a fan-out to one connection none. Each hand-off wakes a parked thread, which on this
 * 2-core box cost 50-250 us at the quiet floor; the writes are Jetty's non-blocking sends, so the fan-out thread
 * only pays the syscalls of its share. Used by one thread (the fan-out loop), then {@link #submit()}ted once.
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

    /**
     * Splits the writes into at most one share per writer thread plus the caller's, in the order they were added;
     * the first shares go to the writers, the last is written here, after the hand-offs.
     */
    public void submit() {
        int n = writes.size();
        if (n == 0) {
            return;
        }
        int shares = Math.min(n, writers.threads() + 1);
        int from = 0;
        for (int t = 0; t < shares - 1; t++) {
            int to = from + (n - from) / (shares - t);
            List<Runnable> share = writes.subList(from, to);
            writers.execute(share.size() == 1 ? share.get(0) : () -> share.forEach(Runnable::run));
            from = to;
        }
        for (Runnable write : writes.subList(from, n)) {
            write.run();
        }
    }
}
