package io.stocktracker.streams.bars;

import java.util.ArrayList;
import java.util.List;

/** The bars of one symbol whose windows have not closed yet (usually one, two around a minute boundary). */
public record OpenBars(List<OpenBar> bars) {

    public record OpenBar(long windowStartMs, BarAccumulator bar) {}

    public static OpenBars none() {
        return new OpenBars(List.of());
    }

    public OpenBars add(long windowStartMs, BarInput in) {
        List<OpenBar> next = new ArrayList<>(bars.size() + 1);
        boolean found = false;
        for (OpenBar b : bars) {
            if (b.windowStartMs() == windowStartMs) {
                next.add(new OpenBar(windowStartMs, b.bar().add(in)));
                found = true;
            } else {
                next.add(b);
            }
        }
        if (!found) {
            next.add(new OpenBar(windowStartMs, BarAccumulator.empty().add(in)));
            next.sort(java.util.Comparator.comparingLong(OpenBar::windowStartMs));
        }
        return new OpenBars(List.copyOf(next));
    }
}
