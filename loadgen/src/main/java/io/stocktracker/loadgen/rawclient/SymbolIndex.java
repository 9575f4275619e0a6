package io.stocktracker.loadgen.rawclient;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Symbol -> its position in the run's symbol list, looked up from a slice of a frame without making a String. */
public final class SymbolIndex {
    private final byte[][] symbols;
    private final int[] table;
    private final int mask;

    public SymbolIndex(List<String> symbols) {
        this.symbols = new byte[symbols.size()][];
        int size = Integer.highestOneBit(Math.max(4, symbols.size() * 4) - 1) << 1;
        this.table = new int[size];
        this.mask = size - 1;
        for (int i = 0; i < symbols.size(); i++) {
            byte[] s = symbols.get(i).getBytes(StandardCharsets.UTF_8);
            this.symbols[i] = s;
            int slot = hash(s, 0, s.length) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    /** The symbol's index, or -1 when it is not one of the run's. */
    public int indexOf(byte[] b, int off, int len) {
        if (len <= 0) {
            return -1;
        }
        int slot = hash(b, off, len) & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            byte[] s = symbols[entry - 1];
            if (s.length == len && Arrays.equals(s, 0, len, b, off, off + len)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    public int size() {
        return symbols.length;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
