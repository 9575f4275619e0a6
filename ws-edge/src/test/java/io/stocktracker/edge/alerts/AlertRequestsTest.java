package io.stocktracker.edge.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.ws.Alert;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertRequestsTest {
    private static final Instant NOW = Instant.parse("2024-01-10T10:30:00Z");
    private final AlertRequests requests = new AlertRequests(Set.of("TCS", "INFY")::contains);

    private static Alert create(String symbol, Double above, Double below, Double move, Integer window) {
        return new Alert(Alert.Op.create, null, symbol, above, below, move, window);
    }

    @Test
    void aWellFormedCreateBecomesARuleWithAnIdTheEdgeMade() {
        AlertRule rule = requests.create(create(" tcs ", null, null, 2.5, 300), Principal.ANONYMOUS, NOW).rule();
        assertThat(rule.symbol()).isEqualTo("TCS");
        assertThat(rule.movePercent()).isEqualTo(2.5);
        assertThat(rule.windowSeconds()).isEqualTo(300);
        assertThat(rule.createdAt()).isEqualTo(NOW);
        assertThat(AlertRule.ID_PATTERN.matcher(rule.alertId()).matches()).isTrue();
    }

    @Test
    void priceThatIsNotAFinitePositiveNumberIsRefusedNamingTheField() {
        assertThat(requests.create(create("TCS", Double.POSITIVE_INFINITY, null, null, null), Principal.ANONYMOUS, NOW).error().message())
                .contains("'above'");
        assertThat(requests.create(create("TCS", null, 0.0, null, null), Principal.ANONYMOUS, NOW).error().message())
                .contains("'below'");
        assertThat(requests.create(create("TCS", null, null, 101.0, 60), Principal.ANONYMOUS, NOW).error().message())
                .contains("'movePercent'");
        assertThat(requests.create(create("TCS", null, null, 1.0, 86_401), Principal.ANONYMOUS, NOW).error().message())
                .contains("'windowSeconds'");
        assertThat(requests.create(create("TCS", 1.0, null, null, 60), Principal.ANONYMOUS, NOW).error().message())
                .contains("'windowSeconds'");
    }

    @Test
    void anUnlistedOrForbiddenSymbolIsRefusedWithItsCode() {
        assertThat(requests.create(create("WIPRO", 1.0, null, null, null), Principal.ANONYMOUS, NOW).error().code())
                .isEqualTo(ErrorCode.INVALID_SYMBOL);
        Principal onlyInfy = new Principal("alice", Set.of("INFY"), null, NOW.plusSeconds(60));
        assertThat(requests.create(create("TCS", 1.0, null, null, null), onlyInfy, NOW).error().code())
                .isEqualTo(ErrorCode.FORBIDDEN_SYMBOL);
    }

    @Test
    void aDeleteOrAckNamesAWellFormedId() {
        assertThat(AlertRequests.badAlertId("abc_DEF-123")).isNull();
        assertThat(AlertRequests.badAlertId("a|b").message()).contains("'alertId'");
        assertThat(AlertRequests.badAlertId("x".repeat(65))).isNotNull();
        assertThat(AlertRequests.badAlertId(null)).isNotNull();
    }
}
