package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenLifetimeTest {
    static final Instant NOW = Instant.parse("2024-01-10T10:30:00Z");
    static final Duration WINDOW = Duration.ofSeconds(60);

    @Test
    void lifetimeRunsFromIatOrFromNowWhenThereIsNoneOrItLiesAhead() {
        Duration hour = Duration.ofHours(1);
        assertThat(TokenLifetime.exceeds(NOW.minusSeconds(1800), NOW.plusSeconds(1800), NOW, hour)).isFalse();
        assertThat(TokenLifetime.exceeds(NOW.minusSeconds(1801), NOW.plusSeconds(1800), NOW, hour)).isTrue();
        assertThat(TokenLifetime.exceeds(null, NOW.plusSeconds(3600), NOW, hour)).isFalse();
        assertThat(TokenLifetime.exceeds(null, NOW.plusSeconds(3601), NOW, hour)).isTrue();
        assertThat(TokenLifetime.exceeds(NOW.plusSeconds(7000), NOW.plusSeconds(7200), NOW, hour)).isTrue();
    }

    @Test
    void anAnonymousConnectionHasNoPlan() {
        assertThat(TokenLifetime.plan(null, NOW, WINDOW)).isNull();
    }

    @Test
    void theNoticeComesOneWindowBeforeExpAndTheCloseAtExp() {
        TokenLifetime.Plan plan = TokenLifetime.plan(NOW.plusSeconds(3600), NOW, WINDOW);
        assertThat(plan.noticeDelay()).isEqualTo(Duration.ofSeconds(3540));
        assertThat(plan.expiryDelay()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(plan.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(plan.expired()).isFalse();
    }

    @Test
    void aTokenAlreadyInsideTheWindowIsWarnedAtOnce() {
        TokenLifetime.Plan plan = TokenLifetime.plan(NOW.plusSeconds(20), NOW, WINDOW);
        assertThat(plan.noticeDelay()).isZero();
        assertThat(plan.expiryDelay()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anExpiredTokenClosesAtOnceWithoutANotice() {
        for (Instant exp : new Instant[] {NOW, NOW.minusSeconds(1)}) {
            TokenLifetime.Plan plan = TokenLifetime.plan(exp, NOW, WINDOW);
            assertThat(plan.noticeDelay()).isNull();
            assertThat(plan.expiryDelay()).isZero();
            assertThat(plan.expired()).isTrue();
        }
    }

    @Test
    void exactlyOneWindowAwayIsWarnedNow() {
        TokenLifetime.Plan plan = TokenLifetime.plan(NOW.plus(WINDOW), NOW, WINDOW);
        assertThat(plan.noticeDelay()).isZero();
        assertThat(plan.expiryDelay()).isEqualTo(WINDOW);
    }
}
