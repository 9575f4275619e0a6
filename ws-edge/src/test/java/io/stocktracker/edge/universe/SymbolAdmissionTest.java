package io.stocktracker.edge.universe;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SymbolAdmissionTest {
    private static SymbolUniverse universe(String... symbols) {
        SymbolUniverse u = new SymbolUniverse();
        for (String s : symbols) {
            u.apply(s, true);
        }
        return u;
    }

    private static SymbolPolicy policy(boolean check, int perEdge, int cluster) {
        return new SymbolPolicy(check, perEdge, cluster, Duration.ofMillis(500), Duration.ofMinutes(15));
    }

    @Test
    void aWellFormedButUnlistedSymbolIsRefusedAndMalformedOnesAreLeftToTheSyntaxCheck() {
        SymbolAdmission admission = new SymbolAdmission(universe("AAPL"), policy(true, 10, 10), c -> Optional.empty());

        SymbolAdmission.Outcome out = admission.listedOnly(List.of(" aapl ", "qzxv42", "bad symbol!"));

        assertThat(out.admitted()).containsExactly(" aapl ", "bad symbol!");
        assertThat(out.rejected()).singleElement().satisfies(r -> {
            assertThat(r.symbol()).isEqualTo("QZXV42");
            assertThat(r.code()).isEqualTo(ErrorCode.INVALID_SYMBOL);
            assertThat(r.reason()).contains("not a listed symbol");
        });
        assertThat(new SymbolAdmission(universe(), policy(false, 10, 10), c -> Optional.empty()).listed("QZXV42"))
                .as("SYMBOL_UNIVERSE_CHECK=false").isTrue();
    }

    @Test
    void symbolsAlreadyStreamedAreAlwaysAdmittedAndNewOnesOnlyWithinTheEdgeCap() {
        SymbolAdmission admission = new SymbolAdmission(universe(), policy(true, 3, 100), c -> Optional.empty());

        SymbolAdmission.Outcome out = admission.withinCaps(List.of("OLD", "N1", "N2"), "OLD"::equals, 2);

        assertThat(out.admitted()).containsExactly("OLD", "N1");
        assertThat(out.rejected()).extracting(r -> r.symbol() + ":" + r.code()).containsExactly("N2:ACTIVE_SYMBOL_LIMIT_EXCEEDED");
    }

    @Test
    void theClusterCapCountsOnlySymbolsNoEdgeStreamsAndIsSkippedWhenItCannotBeCounted() {
        SymbolAdmission counted = new SymbolAdmission(universe(), policy(true, 100, 5),
                c -> Optional.of(new SymbolAdmission.ClusterCount(4, Set.of("N1", "N2"))));
        SymbolAdmission.Outcome out = counted.withinCaps(List.of("ELSEWHERE", "N1", "N2"), s -> false, 0);
        assertThat(out.admitted()).containsExactly("ELSEWHERE", "N1");
        assertThat(out.rejected()).extracting(r -> r.symbol() + ":" + r.code()).containsExactly("N2:ACTIVE_SYMBOL_LIMIT_EXCEEDED");

        SymbolAdmission redisDown = new SymbolAdmission(universe(), policy(true, 100, 1), c -> Optional.empty());
        assertThat(redisDown.withinCaps(List.of("N1", "N2"), s -> false, 0).admitted()).containsExactly("N1", "N2");
    }
}
