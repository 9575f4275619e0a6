package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdmissionRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anAddressGetsItsBurstThenTheRate() {
        AdmissionRate rate = new AdmissionRate(2, 3, 64);
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(rate.tryAdmit("198.51.100.1", t)).isTrue();
        }
        assertThat(rate.tryAdmit("198.51.100.1", t)).isFalse();
        assertThat(rate.tryAdmit("198.51.100.2", t)).as("another address has its own bucket").isTrue();
        assertThat(rate.tryAdmit("198.51.100.1", t + SECOND / 2)).as("half a second refills one at 2/s").isTrue();
        assertThat(rate.tryAdmit("198.51.100.1", t + SECOND / 2)).isFalse();
        assertThat(rate.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void anIpv6PrefixSharesOneBucket() {
        AdmissionRate rate = new AdmissionRate(1, 2, 64);
        assertThat(rate.tryAdmit("2001:db8:1:2::1", 0)).isTrue();
        assertThat(rate.tryAdmit("2001:db8:1:2::2", 0)).isTrue();
        assertThat(rate.tryAdmit("2001:db8:1:2:ffff::3", 0)).as("a third address of the same /64").isFalse();
        assertThat(rate.tryAdmit("2001:db8:1:3::1", 0)).isTrue();
    }

    @Test
    void forgottenBucketsStartFullAgain() {
        AdmissionRate rate = new AdmissionRate(1, 1, 64);
        assertThat(rate.tryAdmit("198.51.100.9", 0)).isTrue();
        // many other addresses later: the sweep forgets refilled buckets, which changes nothing for their owners
        for (int i = 0; i < AdmissionRate.SWEEP_EVERY + 1; i++) {
            rate.tryAdmit("203.0.113." + (i % 250), 10 * SECOND);
        }
        assertThat(rate.tryAdmit("198.51.100.9", 10 * SECOND)).isTrue();
        assertThat(rate.tryAdmit("198.51.100.9", 10 * SECOND)).isFalse();
    }
}
