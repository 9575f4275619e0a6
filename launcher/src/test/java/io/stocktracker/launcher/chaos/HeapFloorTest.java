package io.stocktracker.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapFloorTest {
    /** One sample a minute: a 4-minute tooth from 28 MB rising 1.5 MB a minute, the shape of the 2026-12-07 soak. */
    private static List<SoakSample> sawTooth(int minutes, double floorMbPerHour) {
        List<SoakSample> samples = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            double mb = 28 + 1.5 * (m % 4) + floorMbPerHour * m / 60;
            samples.add(sample(m, (long) (mb * 1e6)));
        }
        return samples;
    }

    private static SoakSample sample(double minutes, long heap) {
        return new SoakSample(minutes, "t", heap, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "0");
    }

    @Test
    void theRawSlopeOfAFlatSawToothDependsOnWhereTheRunStartsItsFloorSlopeDoesNot() {
        List<SoakSample> fromBottom = sawTooth(59, 0);
        List<SoakSample> fromTop = sawTooth(61, 0).subList(2, 62);
        double rawDifference = SoakCommand.heapSlopeMbPerHour(fromBottom) - SoakCommand.heapSlopeMbPerHour(fromTop);
        assertTrue(rawDifference > 0.5, "raw slopes differ by " + rawDifference + " MB/hour");
        assertEquals(0, HeapFloor.slopeMbPerHour(fromBottom, 10), 1e-9);
        assertEquals(0, HeapFloor.slopeMbPerHour(fromTop, 10), 1e-9);
    }

    @Test
    void aRisingFloorUnderTheToothIsMeasured() {
        assertEquals(3, HeapFloor.slopeMbPerHour(sawTooth(60, 3), 10), 0.2);
    }

    @Test
    void theLowestSampleOfEachWindowIsTheFloorAndTheCutShortLastWindowIsLeftOut() {
        List<SoakSample> samples = List.of(sample(0.5, 30), sample(3, 20), sample(9, 40), sample(10.5, 25),
                sample(15, 22), sample(19.5, 50), sample(20.5, 1));
        List<double[]> floor = HeapFloor.minima(samples, 10);
        assertEquals(2, floor.size());
        assertEquals(3, floor.get(0)[0]);
        assertEquals(20, floor.get(0)[1]);
        assertEquals(15, floor.get(1)[0]);
        assertEquals(22, floor.get(1)[1]);
    }

    @Test
    void unreadableSamplesAreNotAFloor() {
        List<SoakSample> samples = List.of(sample(0, 30), sample(5, -1), sample(9, 31), sample(10, 40), sample(19, 41), sample(20, 10));
        List<double[]> floor = HeapFloor.minima(samples, 10);
        assertEquals(30, floor.get(0)[1]);
        assertEquals(40, floor.get(1)[1]);
    }
}
