package io.stocktracker.edge.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserAlertBookTest {
    private static final Instant T = Instant.parse("2024-01-10T10:30:00Z");
    private static final AlertRule RULE = new AlertRule("a1", "TCS", 100.0, null, null, null, T);

    @Test
    void aDefinitionIsTheUsersOnlyUnderItsOwnKey() {
        UserAlertBook book = new UserAlertBook();
        book.definition("mallory|a1", new AlertDefinition("alice", RULE));
        assertThat(book.active("alice")).isEmpty();
        book.definition("alice|a1", new AlertDefinition("alice", RULE));
        assertThat(book.active("alice")).containsExactly(RULE);
        book.definition("alice|a1", null);
        assertThat(book.active("alice")).isEmpty();
    }

    @Test
    void aFiredAlertIsPendingOnceAndLeavesTheActiveListUntilItsTombstone() {
        UserAlertBook book = new UserAlertBook();
        book.definition("alice|a1", new AlertDefinition("alice", RULE));
        AlertFired fired = new AlertFired("alice", RULE, 101.0, T);
        assertThat(book.fired("alice|a1", fired)).isTrue();
        assertThat(book.fired("alice|a1", fired)).as("the same record again").isFalse();
        assertThat(book.active("alice")).isEmpty();
        assertThat(book.pending("alice")).containsExactly(fired);
        book.fired("alice|a1", null);
        assertThat(book.pending("alice")).isEmpty();
        assertThat(book.usersWithPending()).isEmpty();
    }

    @Test
    void aUserWhoseNameHoldsTheSeparatorStillLosesTheRightAlert() {
        UserAlertBook book = new UserAlertBook();
        book.definition("a|b|a1", new AlertDefinition("a|b", RULE));
        book.definition("a|b|a1", null);
        assertThat(book.active("a|b")).isEmpty();
    }
}
