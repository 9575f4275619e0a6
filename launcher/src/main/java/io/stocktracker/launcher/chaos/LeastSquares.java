package io.stocktracker.launcher.chaos;

/** The slope of the least-squares line through (x, y) points: how fast a sampled figure grows. */
final class LeastSquares {
    private LeastSquares() {}

    /** NaN with fewer than two distinct x. */
    static double slope(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}
