package io.stocktracker.edge.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The first writes one update starts (every idle subscriber's frame), handed to the writer pool as one share per
 * writer thread instead of one task per connection: a fan-out to a hundred idle connections costs two queue hand-offs,
 * not a hundred. While the writers are all parked, the fan-out thread also writes a share itself: a hand-off then
 * wakes a thread (50-250 us each on this 2-core box at the quiet floor), and a fan-out to one connection needs none.
 * While they are busy it writes nothing: at 250K deliveries/s the fan-out thread writing its share fell behind its
 * Redis subscription (97 % delivered against 100 % without, 2026-12-08). Used by one thread (the fan-out loop),
 * then {@link #submit()}ted once.
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

    /** Splits the writes into shares in the order they were added; the last is written here if the writers are parked. */
    public void submit() {
        int n = writes.size();
        if (n == 0) {
            return;
        }
        boolean callerWrites = writers.idle();
        int shares = Math.min(n, writers.threads() + (callerWrites ? 1 : 0));
        int handed = callerWrites ? shares - 1 : shares;
        int from = 0;
        for (int t = 0; t < handed; t++) {
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
