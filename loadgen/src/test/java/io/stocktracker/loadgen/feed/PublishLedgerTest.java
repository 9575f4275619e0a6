package io.stocktracker.loadgen.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.stocktracker.loadgen.report.MeasurementWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishLedgerTest {
    @Test
    void onlyAcknowledgedPublishesStampedInsideTheWindowCountAsProduced() {
        MeasurementWindow window = new MeasurementWindow();
        window.open(1_000);
        window.close(2_000);
        PublishLedger ledger = new PublishLedger(List.of("AAA", "BBB"), window);

        ledger.answered(0, 500, null);
        ledger.answered(0, 1_500, null);
        ledger.answered(1, 1_600, null);
        ledger.answered(1, 1_700, new IllegalStateException("broker gone"));
        ledger.answered(1, 2_500, null);

        assertThat(ledger.producedInWindow()).containsExactly(
                entry("AAA", 1L), entry("BBB", 1L));
        assertThat(ledger.acked()).isEqualTo(4);
        assertThat(ledger.failed()).isEqualTo(1);
        assertThat(ledger.lastError()).contains("broker gone");
    }
}
