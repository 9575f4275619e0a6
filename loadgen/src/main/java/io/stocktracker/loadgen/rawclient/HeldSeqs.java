package io.stocktracker.loadgen.rawclient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client's symbols, as positions in the run's {@link SymbolIndex}, and the highest seq it holds for each (none
 * before the first): what both raw fleets judge a quote against (new, repeated, out of order, behind).
 */
public final class HeldSeqs {
    private final int[] symbolIndexes;
    private final long[] seqs;

    private HeldSeqs(int[] symbolIndexes) {
        this.symbolIndexes = symbolIndexes;
        this.seqs = new long[symbolIndexes.length];
        Arrays.fill(seqs, Long.MIN_VALUE);
    }

    /** One per client, client i holding {@code symbolsPerClient.get(i)}; every symbol must be one of {@code symbols}. */
    public static List<HeldSeqs> perClient(SymbolIndex symbols, List<List<String>> symbolsPerClient) {
        List<HeldSeqs> out = new ArrayList<>(symbolsPerClient.size());
        for (int i = 0; i < symbolsPerClient.size(); i++) {
            List<String> mine = symbolsPerClient.get(i);
            int[] idx = new int[mine.size()];
            for (int k = 0; k < idx.length; k++) {
                byte[] s = mine.get(k).getBytes(StandardCharsets.UTF_8);
                idx[k] = symbols.indexOf(s, 0, s.length);
                if (idx[k] < 0) {
                    throw new IllegalArgumentException("client " + i + " symbol " + mine.get(k) + " is not one of the run's");
                }
            }
            out.add(new HeldSeqs(idx));
        }
        return out;
    }

    /** The client's slot for the run's symbol {@code symbolIndex}, or -1 when the client did not ask for it. */
    public int slot(int symbolIndex) {
        for (int k = 0; k < symbolIndexes.length; k++) {
            if (symbolIndexes[k] == symbolIndex) {
                return k;
            }
        }
        return -1;
    }

    public int size() {
        return symbolIndexes.length;
    }

    /** The run's index of the symbol in {@code slot}. */
    public int symbolIndex(int slot) {
        return symbolIndexes[slot];
    }

    /** The highest seq held in {@code slot}; {@code Long.MIN_VALUE} before any. */
    public long seq(int slot) {
        return seqs[slot];
    }

    public void hold(int slot, long seq) {
        seqs[slot] = seq;
    }

    /** Symbols held below {@code want} (seq per run symbol index; {@code Long.MIN_VALUE}: nothing wanted). */
    public int behind(long[] want) {
        int n = 0;
        for (int k = 0; k < symbolIndexes.length; k++) {
            long w = want[symbolIndexes[k]];
            if (w != Long.MIN_VALUE && seqs[k] < w) {
                n++;
            }
        }
        return n;
    }
}
