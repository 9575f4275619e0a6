package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire(0)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(40);
        assertThat(limiter.tryAcquire(SECOND / 40)).isFalse();
        assertThat(limiter.tryAcquire(SECOND / 20)).isTrue();
        int inASecond = 0;
        for (long t = SECOND / 20; t <= SECOND + SECOND / 20; t += SECOND / 100) {
            if (limiter.tryAcquire(t)) {
                inASecond++;
            }
        }
        assertThat(inASecond).isBetween(19, 21);
    }

    @Test
    void refillsNoMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire(3600 * SECOND)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(40);
    }

    @Test
    void violationsCountOnlyInsideTheWindow() {
        ViolationTracker v = new ViolationTracker(3, SECOND);
        assertThat(v.record(0)).isFalse();
        assertThat(v.record(SECOND / 2)).isFalse();
        assertThat(v.record(2 * SECOND)).isFalse();
        assertThat(v.record(2 * SECOND + 1)).isFalse();
        assertThat(v.record(2 * SECOND + 2)).isTrue();
    }

    @Test
    void connectionLimiterCapsPerIpAndReleases() {
        ConnectionLimiter l = new ConnectionLimiter(3, 2);
        assertThat(l.tryAcquire("a")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(l.tryAcquire("a")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(l.tryAcquire("a")).isEqualTo(ConnectionLimiter.Outcome.ADDRESS_FULL);
        assertThat(l.tryAcquire("b")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(l.tryAcquire("c")).as("the edge's total").isEqualTo(ConnectionLimiter.Outcome.EDGE_FULL);
        l.release("a");
        assertThat(l.tryAcquire("c")).isEqualTo(ConnectionLimiter.Outcome.ACQUIRED);
        assertThat(l.forIp("a")).isEqualTo(1);
        assertThat(l.total()).isEqualTo(3);
    }
}
