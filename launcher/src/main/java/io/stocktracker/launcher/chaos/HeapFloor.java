package io.stocktracker.launcher.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The floor of a saw-tooth: the lowest heap-after-GC sample of each consecutive window of {@code windowMinutes}.
 * A live set that climbs and drops back every few minutes gives a least-squares slope of either sign from where
 * the run happens to start and stop on the tooth; the floor only rises when what survives each drop grows. The
 * window must be longer than the tooth, or a window can miss the drop and its "floor" is a tooth's top.
 */
final class HeapFloor {
    /** A window counts when its samples span at least this share of it (the run's last, cut-short window does not). */
    static final double MIN_COVERAGE = 0.8;

    private HeapFloor() {}

    /** (minute, bytes) of the lowest readable sample in every covered window, in time order. */
    static List<double[]> minima(List<SoakSample> samples, double windowMinutes) {
        List<double[]> floor = new ArrayList<>();
        List<SoakSample> window = new ArrayList<>();
        long current = Long.MIN_VALUE;
        for (SoakSample s : samples) {
            if (s.heapAfterGcBytes() < 0) {
                continue;
            }
            long k = (long) Math.floor(s.minutes() / windowMinutes);
            if (k != current) {
                addIfCovered(window, windowMinutes, floor);
                window.clear();
                current = k;
            }
            window.add(s);
        }
        addIfCovered(window, windowMinutes, floor);
        return floor;
    }

    /** The least-squares slope of the window minima in MB per hour; NaN with fewer than two windows. */
    static double slopeMbPerHour(List<SoakSample> samples, double windowMinutes) {
        List<double[]> floor = minima(samples, windowMinutes);
        double[] x = floor.stream().mapToDouble(p -> p[0] / 60).toArray();
        double[] y = floor.stream().mapToDouble(p -> p[1] / 1e6).toArray();
        return LeastSquares.slope(x, y);
    }

    private static void addIfCovered(List<SoakSample> window, double windowMinutes, List<double[]> floor) {
        if (window.isEmpty()) {
            return;
        }
        double span = window.get(window.size() - 1).minutes() - window.get(0).minutes();
        if (span < MIN_COVERAGE * windowMinutes) {
            return;
        }
        SoakSample low = window.get(0);
        for (SoakSample s : window) {
            if (s.heapAfterGcBytes() < low.heapAfterGcBytes()) {
                low = s;
            }
        }
        floor.add(new double[] {low.minutes(), low.heapAfterGcBytes()});
    }
}
