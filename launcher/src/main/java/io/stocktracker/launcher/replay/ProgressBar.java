package io.stocktracker.launcher.replay;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar redrawn in place on stderr, at most every 200 ms. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final long total;
    private final long startedNanos = System.nanoTime();
    private long lastDrawNanos;

    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    void update(long done, long written) {
        long now = System.nanoTime();
        if (out == null || (now - lastDrawNanos < 200_000_000L && done < total)) {
            return;
        }
        lastDrawNanos = now;
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) (fraction * WIDTH);
        double elapsed = (now - startedNanos) / 1e9;
        double eta = fraction <= 0 ? 0 : elapsed / fraction - elapsed;
        out.print(String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %d/%d records read, %d written, ETA %.0fs ",
                "#".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100, done, total, written, eta));
        out.flush();
    }

    void finish(long done, long written) {
        if (out != null) {
            lastDrawNanos = 0;
            update(done, written);
            out.println();
        }
    }
}
