package io.stocktracker.ingest.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTest {
    private static final long MS = 1_000_000L;
    private final Lease lease = new Lease(Duration.ofMillis(1200));

    @Test
    void aGrantedLeaseIsTrustedUntilAQuarterOfTheTtlBeforeItCanExpire() {
        assertThat(lease.holds(0)).isFalse();

        lease.granted(1_000 * MS);

        assertThat(lease.holds(1_000 * MS)).isTrue();
        assertThat(lease.holds(1_899 * MS)).isTrue();
        assertThat(lease.holds(1_900 * MS)).as("sent at 1000 + 1200 ttl - 300 margin").isFalse();
        assertThat(lease.claimed()).as("still ours to renew if Redis answers again").isTrue();
        assertThat(Lease.margin(Duration.ofMillis(1200))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aRenewalExtendsFromWhenItWasSentAndALossEndsItAtOnce() {
        lease.granted(0);
        lease.granted(400 * MS);

        assertThat(lease.holds(1_299 * MS)).isTrue();
        assertThat(lease.holds(1_300 * MS)).isFalse();

        lease.lost();

        assertThat(lease.holds(500 * MS)).isFalse();
        assertThat(lease.claimed()).isFalse();
    }

    @Test
    void worksAcrossTheNanoTimeOverflow() {
        lease.granted(Long.MAX_VALUE - 100 * MS);

        assertThat(lease.holds(Long.MAX_VALUE)).isTrue();
        assertThat(lease.holds(Long.MIN_VALUE + 500 * MS)).isTrue();
        assertThat(lease.holds(Long.MIN_VALUE + 900 * MS)).isFalse();
    }
}
