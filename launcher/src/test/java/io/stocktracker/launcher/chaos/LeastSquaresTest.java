package io.stocktracker.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    @Test
    void slopeOfPointsOnALineIsThatLinesSlope() {
        assertEquals(2.5, LeastSquares.slope(new double[] {0, 1, 2, 3}, new double[] {1, 3.5, 6, 8.5}), 1e-9);
    }

    @Test
    void zigzagPointsGiveTheSlopeOfTheirFittedLine() {
        assertEquals(0.2, LeastSquares.slope(new double[] {0, 1, 2, 3}, new double[] {5, 6, 5, 6}), 1e-9);
    }

    @Test
    void oneDistinctXHasNoSlope() {
        assertTrue(Double.isNaN(LeastSquares.slope(new double[] {1, 1}, new double[] {1, 2})));
    }
}
