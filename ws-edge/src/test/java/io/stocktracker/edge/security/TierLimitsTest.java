package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TierLimitsTest {
    @Test
    void parsesTierLimitPairsInOrderIgnoringSpaces() {
        assertThat(TierLimits.parse(" free:10, pro : 100 ,enterprise:1000", 100_000))
                .containsExactly(Map.entry("free", 10), Map.entry("pro", 100), Map.entry("enterprise", 1000));
        assertThat(TierLimits.parse("", 100_000)).isEmpty();
        assertThat(TierLimits.parse("   ", 100_000)).isEmpty();
    }

    @Test
    void withoutAuthenticationEveryConnectionGetsMaxSubscriptions() {
        TierLimits limits = TierLimits.of(TierLimits.parse("free:10,pro:100", 100_000), 200, false);
        assertThat(limits.limitFor(null)).isEqualTo(200);
        assertThat(limits.limitFor("free")).isEqualTo(10);
        assertThat(limits.limitFor("pro")).isEqualTo(100);
    }

    @Test
    void aTokenWithoutTierGetsTheSmallestTierNeverMaxSubscriptions() {
        assertThat(TierLimits.of(TierLimits.parse("pro:100,free:10", 100_000), 200, true).limitFor(null)).isEqualTo(10);
        assertThat(TierLimits.of(TierLimits.parse("pro:500,free:300", 100_000), 200, true).limitFor(null))
                .as("never above MAX_SUBSCRIPTIONS").isEqualTo(200);
        assertThat(TierLimits.of(Map.of(), 200, true).limitFor(null)).as("no tiers configured").isEqualTo(200);
    }

    @Test
    void anUnknownTierGetsTheSmallestConfiguredLimitNeverTheDefault() {
        TierLimits limits = TierLimits.of(TierLimits.parse("pro:100,free:10", 100_000), 200, true);
        assertThat(limits.limitFor("platinum")).isEqualTo(10);
        assertThat(limits.limitFor("FREE")).as("tiers are case sensitive").isEqualTo(10);
        assertThat(limits.knows("platinum")).isFalse();
        assertThat(TierLimits.of(Map.of(), 200, true).limitFor("anything")).as("no tiers configured").isEqualTo(200);
    }

    @Test
    void badSpecsAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> TierLimits.parse("free=10", 100)).hasMessageContaining("'free=10' must be tier:limit");
        assertThatThrownBy(() -> TierLimits.parse("free:ten", 100)).hasMessageContaining("'free' must be an integer");
        assertThatThrownBy(() -> TierLimits.parse("free:0", 100)).hasMessageContaining("between 1 and 100");
        assertThatThrownBy(() -> TierLimits.parse("free:101", 100)).hasMessageContaining("(was 101)");
        assertThatThrownBy(() -> TierLimits.parse("free:1,free:2", 100)).hasMessageContaining("'free' twice");
        assertThatThrownBy(() -> TierLimits.parse("a b:1", 100)).hasMessageContaining("tier 'a b'");
        assertThatThrownBy(() -> TierLimits.parse(":5", 100)).hasMessageContaining("tier ''");
    }
}
