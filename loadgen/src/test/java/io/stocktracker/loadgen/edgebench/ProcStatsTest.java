package io.stocktracker.loadgen.edgebench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (edge) x) S 1 4242 4242 0 -1 4194560 12345 0 3 0 1500 250 0 0 20 0 58 0 12 5000000 9000 "
                + "18446744073709551615 1 1 0 0 0 0 0 2 16800973 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void rssAndLoadAverageAreRead() {
        assertThat(ProcStats.vmRssKb("Name:\tjava\nVmPeak:\t 900 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n")).isEqualTo(123_456);
        assertThat(ProcStats.loadAverage("5.33 2.25 0.85 3/712 9999\n")).containsExactly(5.33, 2.25, 0.85);
    }

    @Test
    void thisProcessCanBeMeasuredOnLinux() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcStats.rssKb(pid)).isPositive();
        assertThat(ProcStats.cpuSeconds(pid)).isPositive();
        assertThat(ProcStats.loadAverage()).hasSize(3);
        assertThat(ProcStats.rssKb(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(ProcStats.cpuSeconds(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
