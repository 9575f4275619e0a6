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
    private HeapFloor() {}

    /**
     * (minute, bytes) of the lowest readable sample of every window the run went through to its end, in time order;
     * the run's last, cut-short window is left out (its lowest sample may be a tooth's top).
     */
    static List<double[]> minima(List<SoakSample> samples, double windowMinutes) {
        List<double[]> floor = new ArrayList<>();
        if (samples.isEmpty()) {
            return floor;
        }
        long complete = (long) Math.floor(samples.get(samples.size() - 1).minutes() / windowMinutes);
        long current = -1;
        for (SoakSample s : samples) {
            long k = (long) Math.floor(s.minutes() / windowMinutes);
            if (s.heapAfterGcBytes() < 0 || k >= complete) {
                continue;
            }
            if (k != current) {
                floor.add(new double[] {s.minutes(), s.heapAfterGcBytes()});
                current = k;
            } else if (s.heapAfterGcBytes() < floor.get(floor.size() - 1)[1]) {
                floor.set(floor.size() - 1, new double[] {s.minutes(), s.heapAfterGcBytes()});
            }
        }
        return floor;
    }

    /** The least-squares slope of the window minima in MB per hour; NaN with fewer than two windows. */
    static double slopeMbPerHour(List<SoakSample> samples, double windowMinutes) {
        List<double[]> floor = minima(samples, windowMinutes);
        double[] x = floor.stream().mapToDouble(p -> p[0] / 60).toArray();
        double[] y = floor.stream().mapToDouble(p -> p[1] / 1e6).toArray();
        return LeastSquares.slope(x, y);
    }

}
