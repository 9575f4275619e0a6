package io.stocktracker.launcher.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
