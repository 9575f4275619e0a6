package io.stocktracker.loadgen.wire;

import io.stocktracker.loadgen.report.MeasurementWindow;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * ONE thread and one selector serving every {@link RawConnection} of a fleet, so thousands of clients cost one
 * thread and the load generator's own cost stays easy to reason about. Everything a connection holds is touched on
 * this thread only; other threads hand work over with {@link #submit} or {@link #call}. The fleet brings its chores:
 * what to do after each select (open the clients now due) and every 100 ms (time out stuck attempts).
 */
public final class SelectorLoop {
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int READ_BUFFER = 256 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LongUnaryOperator afterSelect;
    private final LongConsumer sweep;
    private final Runnable stopped;
    private volatile boolean running = true;
    private volatile long failures;
    /** Shared by every connection: one reads at a time, and what it leaves unread it copies out. */
    private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    private long readNanos;
    private long readMicros;

    /**
     * Starts the thread.
     * @param afterSelect given {@code System.nanoTime()} after each round of ready keys: the longest the next select may
     *                    wait, in ms (0: poll at once)
     * @param sweep       every 100 ms or so, given {@code System.nanoTime()}
     * @param stopped     once the loop ends, before the selector closes
     */
    public SelectorLoop(String threadName, LongUnaryOperator afterSelect, LongConsumer sweep, Runnable stopped) throws IOException {
        this.selector = Selector.open();
        this.afterSelect = afterSelect;
        this.sweep = sweep;
        this.stopped = stopped;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        long lastSweep = System.nanoTime();
        long waitMs = 0;
        while (running) {
            try {
                if (waitMs <= 0) {
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
                    // one clock reading for the round: a syscall per frame would cost the benchmark's only thread
                    readNanos = System.nanoTime();
                    readMicros = MeasurementWindow.nowMicros();
                    for (SelectionKey key : keys) {
                        ((RawConnection) key.attachment()).ready(key);
                    }
                    keys.clear();
                }
                long now = System.nanoTime();
                waitMs = afterSelect.applyAsLong(now);
                if (now - lastSweep > SWEEP_NANOS) {
                    lastSweep = now;
                    sweep.accept(now);
                }
            } catch (IOException | RuntimeException e) {
                // a connection keeps its own troubles; this is the selector itself or a chore: count it, keep serving
                failures = failures + 1;
                waitMs = 100;
            }
        }
        stopped.run();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    Selector selector() {
        return selector;
    }

    /** A cleared read buffer with room for {@code keep} bytes carried over and as much again to read. */
    ByteBuffer readBuffer(int keep) {
        if (keep > in.capacity() / 2) {
            in = ByteBuffer.allocate(Math.max(in.capacity() * 2, keep * 2));
        }
        in.clear();
        return in;
    }

    /** {@code System.nanoTime()} when the round of ready keys being served was selected. */
    public long readNanos() {
        return readNanos;
    }

    /** The wall clock in epoch microseconds at {@link #readNanos()}: what a quote's publish stamp is compared with. */
    public long readMicros() {
        return readMicros;
    }

    /** Runs {@code task} on the loop's thread, soon. */
    public void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code work} on the loop's thread and waits for its answer. */
    public <T> T call(Supplier<T> work) throws InterruptedException {
        CompletableFuture<T> answer = new CompletableFuture<>();
        submit(() -> {
            try {
                answer.complete(work.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the clients' thread " + thread.getName() + " did not answer", e);
        }
    }

    /** What the loop caught outside any one connection (the selector, a task or a chore): a bug to show, not hide. */
    public long failures() {
        return failures;
    }

    /** CPU seconds the loop's thread used so far; -1 where the JVM cannot tell. */
    public double cpuSeconds() {
        long nanos = ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
        return nanos < 0 ? -1 : nanos / 1e9;
    }

    /** Ends the loop (it runs {@code stopped}, which closes the sockets) and waits for its thread. */
    public void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
    }

    public boolean isRunning() {
        return thread.isAlive();
    }
}
