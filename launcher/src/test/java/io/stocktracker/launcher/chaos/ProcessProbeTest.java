package io.stocktracker.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.jupiter.api.Test;

class ProcessProbeTest {
    @Test
    void liveHeapIsTheBytesColumnOfTheHistogramsTotalLine() {
        String jcmd = """
                651:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         41077        4265984  [B (java.base@17.0.17)
                   2:         38790         930960  java.lang.String (java.base@17.0.17)
                Total        310227       27604080
                """;
        assertEquals(27_604_080L, ProcessProbe.histogramTotalBytes(jcmd));
    }

    @Test
    void anAnswerWithoutTotalIsUnknown() {
        assertEquals(-1, ProcessProbe.histogramTotalBytes("651:\ncom.sun.tools.attach.AttachNotSupportedException"));
    }

    @Test
    void thisJvmHasThreadsAndOpenFileDescriptors() {
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcessProbe.threads(pid) > 0);
        assertTrue(ProcessProbe.fileDescriptors(pid) > 0);
        assertTrue(ProcessProbe.rssKb(pid) > 0);
    }

    @Test
    void heapAfterGcOfASteadyLiveSetIsTheSameAtEveryProbe() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m"));
        command.addAll(ProcessProbe.MEASURABLE_GC);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SteadyLiveSet.class.getName()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        try {
            LongSummaryStatistics heap = new LongSummaryStatistics();
            for (int probe = 0; probe < 8; probe++) {
                Thread.sleep(500);
                heap.accept(ProcessProbe.heapAfterGcBytes(child.pid()));
            }
            assertTrue(heap.getMin() > 8_000_000, "the ring of 40,000 x 200 bytes is live: " + heap);
            // the live set is the same at every probe (it measured the same to the byte on 2026-12-07); without a full
            // compaction at every probe, dead wood left in place moved it by 400 KB
            assertTrue(heap.getMax() - heap.getMin() < 100_000, "heap after GC moved by " + (heap.getMax() - heap.getMin())
                    + " bytes: " + heap);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
