package io.stocktracker.edge.session;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One thread for every connection's timers (close grace, refused-socket linger, token notice and expiry). */
public final class SessionTimers implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "edge-connection-reaper");
        t.setDaemon(true);
        return t;
    });

    public SessionTimers() {
        // a cancelled token timer must not stay queued until its (possibly hours away) deadline
        timers.setRemoveOnCancelPolicy(true);
    }

    void after(Duration delay, Runnable task) {
        timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    ScheduledExecutorService executor() {
        return timers;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
