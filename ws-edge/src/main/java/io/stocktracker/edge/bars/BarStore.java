package io.stocktracker.edge.bars;

import io.stocktracker.schemas.model.Bar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The current session's 1-minute bars per symbol, in memory, bounded: at most {@code maxSymbols} symbols and
 * {@code maxBarsPerSymbol} bars each. A symbol's bars sit in parallel primitive arrays sorted by window start
 * ({@value #BYTES_PER_BAR} bytes a bar, no object per bar), so the worst case is
 * {@code maxSymbols x maxBarsPerSymbol x BYTES_PER_BAR} plus a few hundred bytes per symbol. Past the symbol cap a new
 * symbol is refused (counted); past a symbol's bar cap its oldest bar goes.
 */
public final class BarStore {
    /** start, open, high, low, close, volume, count: seven 8-byte slots. */
    public static final int BYTES_PER_BAR = 7 * Long.BYTES;

    private final int maxSymbols;
    private final int maxBarsPerSymbol;
    private final ConcurrentHashMap<String, SymbolBars> bySymbol = new ConcurrentHashMap<>();
    private final AtomicInteger symbolCount = new AtomicInteger();

    public BarStore(int maxSymbols, int maxBarsPerSymbol) {
        this.maxSymbols = maxSymbols;
        this.maxBarsPerSymbol = maxBarsPerSymbol;
    }

    public enum Put { STORED, UNCHANGED, SYMBOL_LIMIT }

    /** Adds {@code bar}, or replaces the one with the same window start (a re-read record). */
    public Put put(Bar bar) {
        SymbolBars bars = bySymbol.get(bar.symbol());
        if (bars == null) {
            // reserve a slot first: concurrent new symbols can never take the store past its cap
            if (symbolCount.incrementAndGet() > maxSymbols) {
                symbolCount.decrementAndGet();
                return Put.SYMBOL_LIMIT;
            }
            SymbolBars created = new SymbolBars();
            bars = bySymbol.putIfAbsent(bar.symbol(), created);
            if (bars == null) {
                bars = created;
            } else {
                symbolCount.decrementAndGet();
            }
        }
        return bars.put(bar, maxBarsPerSymbol) ? Put.STORED : Put.UNCHANGED;
    }

    /** The bars of {@code symbol} whose window starts in {@code [from, to)}, oldest first. */
    public List<Bar> range(String symbol, Instant from, Instant to) {
        SymbolBars bars = bySymbol.get(symbol);
        return bars == null ? List.of() : bars.range(symbol, from.toEpochMilli(), to.toEpochMilli());
    }

    /** Forgets every bar that starts before {@code start} (a new session began), and symbols left with none. */
    public void dropBefore(Instant start) {
        long ms = start.toEpochMilli();
        for (String symbol : bySymbol.keySet()) {
            bySymbol.computeIfPresent(symbol, (k, bars) -> {
                if (bars.dropBefore(ms) > 0) {
                    return bars;
                }
                symbolCount.decrementAndGet();
                return null;
            });
        }
    }

    public int symbols() {
        return symbolCount.get();
    }

    /** Worst-case bytes of bar data this store may hold. */
    long capacityBytes() {
        return (long) maxSymbols * maxBarsPerSymbol * BYTES_PER_BAR;
    }

    /** One symbol's bars, sorted by start; its monitor guards the arrays. */
    private static final class SymbolBars {
        private long[] start = new long[0];
        private double[] open = new double[0];
        private double[] high = new double[0];
        private double[] low = new double[0];
        private double[] close = new double[0];
        private long[] volume = new long[0];
        private long[] count = new long[0];
        private int size;

        synchronized boolean put(Bar bar, int max) {
            long s = bar.windowStart().toEpochMilli();
            int i = Arrays.binarySearch(start, 0, size, s);
            if (i >= 0) {
                if (open[i] == bar.open() && high[i] == bar.high() && low[i] == bar.low() && close[i] == bar.close()
                        && volume[i] == bar.volume() && count[i] == bar.count()) {
                    return false;
                }
                set(i, s, bar);
                return true;
            }
            int at = -i - 1;
            if (size == max) {
                if (at == 0) {
                    return false; // older than every bar held, and no room: the newest bars matter most
                }
                shiftLeft(1);
                at--;
            }
            if (size == start.length) {
                grow(Math.min(max, Math.max(16, size * 2)));
            }
            System.arraycopy(start, at, start, at + 1, size - at);
            System.arraycopy(open, at, open, at + 1, size - at);
            System.arraycopy(high, at, high, at + 1, size - at);
            System.arraycopy(low, at, low, at + 1, size - at);
            System.arraycopy(close, at, close, at + 1, size - at);
            System.arraycopy(volume, at, volume, at + 1, size - at);
            System.arraycopy(count, at, count, at + 1, size - at);
            size++;
            set(at, s, bar);
            return true;
        }

        synchronized List<Bar> range(String symbol, long from, long to) {
            int lo = index(from);
            int hi = index(to);
            List<Bar> out = new ArrayList<>(Math.max(0, hi - lo));
            for (int i = lo; i < hi; i++) {
                out.add(new Bar(symbol, Instant.ofEpochMilli(start[i]), Instant.ofEpochMilli(start[i] + 60_000L), open[i],
                        high[i], low[i], close[i], volume[i], count[i]));
            }
            return out;
        }

        /** Returns how many bars remain. */
        synchronized int dropBefore(long ms) {
            shiftLeft(index(ms));
            return size;
        }

        /** The first position whose start is at or after {@code ms}. */
        private int index(long ms) {
            int i = Arrays.binarySearch(start, 0, size, ms);
            return i >= 0 ? i : -i - 1;
        }

        private void set(int i, long s, Bar bar) {
            start[i] = s;
            open[i] = bar.open();
            high[i] = bar.high();
            low[i] = bar.low();
            close[i] = bar.close();
            volume[i] = bar.volume();
            count[i] = bar.count();
        }

        private void shiftLeft(int n) {
            if (n <= 0) {
                return;
            }
            int rest = size - n;
            System.arraycopy(start, n, start, 0, rest);
            System.arraycopy(open, n, open, 0, rest);
            System.arraycopy(high, n, high, 0, rest);
            System.arraycopy(low, n, low, 0, rest);
            System.arraycopy(close, n, close, 0, rest);
            System.arraycopy(volume, n, volume, 0, rest);
            System.arraycopy(count, n, count, 0, rest);
            size = rest;
        }

        private void grow(int capacity) {
            start = Arrays.copyOf(start, capacity);
            open = Arrays.copyOf(open, capacity);
            high = Arrays.copyOf(high, capacity);
            low = Arrays.copyOf(low, capacity);
            close = Arrays.copyOf(close, capacity);
            volume = Arrays.copyOf(volume, capacity);
            count = Arrays.copyOf(count, capacity);
        }
    }
}
