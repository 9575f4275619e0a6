package io.stocktracker.launcher.chaos;

/**
 * A JVM whose live set never changes size while it keeps replacing its objects, so the old generation fills with
 * holes between live objects: the shape of an edge under connection churn. Run by {@link ProcessProbeTest}.
 */
public final class SteadyLiveSet {
    private SteadyLiveSet() {}

    public static void main(String[] args) throws InterruptedException {
        byte[][] ring = new byte[40_000][];
        for (int i = 0; ; i++) {
            ring[i % ring.length] = new byte[200];
            if (i % 2_000 == 0) {
                Thread.sleep(1);
            }
        }
    }
}
