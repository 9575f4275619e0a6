package io.stocktracker.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteBurstTest {
    private final WriterPool writers = new WriterPool();

    @AfterEach
    void close() {
        writers.close();
    }

    @Test
    void aFanOutToOneConnectionIsWrittenByTheFanOutThreadWithoutAHandOff() {
        WriteBurst burst = writers.burst();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        burst.add(() -> ranOn.add(Thread.currentThread()));
        burst.submit();
        assertThat(ranOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aLargeFanOutIsSplitIntoOneShareAWriterAndOneForTheFanOutThreadEachWriteOnce() throws Exception {
        int n = 100;
        CountDownLatch all = new CountDownLatch(n);
        Map<Integer, Thread> ranOn = new ConcurrentHashMap<>();
        Map<Thread, List<Integer>> order = new ConcurrentHashMap<>();
        WriteBurst burst = writers.burst();
        for (int i = 0; i < n; i++) {
            int write = i;
            burst.add(() -> {
                assertThat(ranOn.put(write, Thread.currentThread())).as("write %d ran once", write).isNull();
                order.computeIfAbsent(Thread.currentThread(), t -> new CopyOnWriteArrayList<>()).add(write);
                all.countDown();
            });
        }
        burst.submit();
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(ranOn).hasSize(n);
        assertThat(order.keySet()).as("one share per writer thread plus the fan-out thread's")
                .hasSize(writers.threads() + 1).contains(Thread.currentThread());
        assertThat(order.get(Thread.currentThread())).as("the fan-out thread writes the last share")
                .contains(n - 1).hasSizeBetween(n / (writers.threads() + 1), n / (writers.threads() + 1) + 1);
        order.values().forEach(share -> assertThat(share).as("a share is written in the order it was added").isSorted());
    }

    @Test
    void whileAWriterIsBusyTheFanOutThreadHandsEveryWriteOver() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writers.execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

        int n = 10;
        CountDownLatch all = new CountDownLatch(n);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        WriteBurst burst = writers.burst();
        for (int i = 0; i < n; i++) {
            burst.add(() -> {
                ranOn.add(Thread.currentThread());
                all.countDown();
            });
        }
        burst.submit();
        release.countDown();
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).hasSize(n).doesNotContain(Thread.currentThread());
    }
}
