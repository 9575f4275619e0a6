package io.stocktracker.edge.bars;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.model.Bar;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-07T14:30:00Z");
    private static final Instant FAR = T0.plusSeconds(86_400);

    @Test
    void barsComeBackInTimeOrderWhateverOrderTheyArrivedIn() {
        BarStore store = new BarStore(10, 100);
        for (int m : new int[] {3, 0, 2, 1}) {
            assertThat(store.put(bar("AAPL", m, 100 + m))).isEqualTo(BarStore.Put.STORED);
        }
        assertThat(store.range("AAPL", T0, FAR)).extracting(Bar::close).containsExactly(100.0, 101.0, 102.0, 103.0);
        assertThat(store.range("AAPL", T0, FAR)).first().isEqualTo(bar("AAPL", 0, 100));
    }

    @Test
    void theSameWindowAgainReplacesAndAnUnchangedOneIsNotNews() {
        BarStore store = new BarStore(10, 100);
        store.put(bar("AAPL", 0, 100));
        assertThat(store.put(bar("AAPL", 0, 100))).isEqualTo(BarStore.Put.UNCHANGED);
        assertThat(store.put(bar("AAPL", 0, 99))).isEqualTo(BarStore.Put.STORED);
        assertThat(store.range("AAPL", T0, FAR)).extracting(Bar::close).containsExactly(99.0);
    }

    @Test
    void aRangeSelectsByWindowStartHalfOpen() {
        BarStore store = new BarStore(10, 100);
        for (int m = 0; m < 10; m++) {
            store.put(bar("AAPL", m, m));
        }
        List<Bar> r = store.range("AAPL", T0.plusSeconds(120), T0.plusSeconds(300));
        assertThat(r).extracting(Bar::close).containsExactly(2.0, 3.0, 4.0);
        assertThat(store.range("MSFT", T0, FAR)).isEmpty();
    }

    @Test
    void aSymbolKeepsAtMostItsCapDroppingTheOldest() {
        BarStore store = new BarStore(10, 5);
        for (int m = 0; m < 1000; m++) {
            store.put(bar("AAPL", m, m));
        }
        assertThat(store.range("AAPL", T0, FAR)).extracting(Bar::close).containsExactly(995.0, 996.0, 997.0, 998.0, 999.0);
        assertThat(store.put(bar("AAPL", 1, 1))).as("older than everything held, no room").isEqualTo(BarStore.Put.UNCHANGED);
    }

    @Test
    void newSymbolsPastTheCapAreRefusedAndKnownOnesStillUpdate() {
        BarStore store = new BarStore(2, 5);
        assertThat(store.put(bar("A", 0, 1))).isEqualTo(BarStore.Put.STORED);
        assertThat(store.put(bar("B", 0, 1))).isEqualTo(BarStore.Put.STORED);
        assertThat(store.put(bar("C", 0, 1))).isEqualTo(BarStore.Put.SYMBOL_LIMIT);
        assertThat(store.put(bar("A", 1, 2))).isEqualTo(BarStore.Put.STORED);
        assertThat(store.symbols()).isEqualTo(2);
        assertThat(store.range("C", T0, FAR)).isEmpty();
        assertThat(store.capacityBytes()).isEqualTo(2L * 5 * BarStore.BYTES_PER_BAR);
    }

    @Test
    void aNewSessionDropsThePreviousBarsAndFreesTheirSymbols() {
        BarStore store = new BarStore(2, 100);
        store.put(bar("A", 0, 1));
        store.put(bar("A", 10, 2));
        store.put(bar("B", 0, 1));
        store.dropBefore(T0.plusSeconds(300));
        assertThat(store.range("A", T0, FAR)).extracting(Bar::close).containsExactly(2.0);
        assertThat(store.symbols()).isEqualTo(1);
        assertThat(store.put(bar("C", 10, 1))).as("B's slot is free again").isEqualTo(BarStore.Put.STORED);
    }

    @Test
    void concurrentNewSymbolsNeverPassTheCap() throws Exception {
        BarStore store = new BarStore(50, 10);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int base = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    store.put(bar("S" + (i * 4 + base), 0, 1));
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(store.symbols()).isEqualTo(50);
    }

    static Bar bar(String symbol, int minute, double close) {
        Instant start = T0.plusSeconds(60L * minute);
        return new Bar(symbol, start, start.plusSeconds(60), close, close + 1, close - 1, close, 100, 10);
    }
}
