package io.stocktracker.ingest.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TradingWindowTest {
    private final TradingWindow session = TradingWindow.usRegularSession();

    @Test
    void aWeekdaySessionIsOneActivePeriodFromTheOpenToTheClose() {
        // Wednesday 2024-01-10, New York on EST (UTC-5)
        TradingWindow.Period p = session.periodAt(Instant.parse("2024-01-10T17:00:00Z"));

        assertThat(p.active()).isTrue();
        assertThat(p.start()).isEqualTo(Instant.parse("2024-01-10T14:30:00Z"));
        assertThat(p.end()).isEqualTo(Instant.parse("2024-01-10T21:00:00Z"));
        assertThat(p.length()).isEqualTo(Duration.ofMinutes(390));
    }

    @Test
    void theGapsAreTheNightAndTheWholeWeekend() {
        TradingWindow.Period night = session.periodAt(Instant.parse("2024-01-10T23:00:00Z"));
        assertThat(night.active()).isFalse();
        assertThat(night.start()).isEqualTo(Instant.parse("2024-01-10T21:00:00Z"));
        assertThat(night.end()).isEqualTo(Instant.parse("2024-01-11T14:30:00Z"));

        TradingWindow.Period weekend = session.periodAt(Instant.parse("2024-01-13T17:00:00Z")); // Saturday noon
        assertThat(weekend.active()).isFalse();
        assertThat(weekend.start()).isEqualTo(Instant.parse("2024-01-12T21:00:00Z")); // Friday's close
        assertThat(weekend.end()).isEqualTo(Instant.parse("2024-01-15T14:30:00Z")); // Monday's open

        assertThat(session.periodAt(Instant.parse("2024-01-10T21:00:00Z")).active()).as("the close is outside").isFalse();
        assertThat(session.periodAt(Instant.parse("2024-01-10T14:30:00Z")).active()).as("the open is inside").isTrue();
    }

    @Test
    void theSessionFollowsNewYorkAcrossTheDaylightSavingChange() {
        // US clocks moved forward on Sunday 2024-03-10: Monday's open is 13:30 UTC, Friday's was 14:30 UTC
        assertThat(session.periodAt(Instant.parse("2024-03-11T15:00:00Z")).start()).isEqualTo(Instant.parse("2024-03-11T13:30:00Z"));
        assertThat(session.periodAt(Instant.parse("2024-03-08T15:00:00Z")).start()).isEqualTo(Instant.parse("2024-03-08T14:30:00Z"));
    }

    @Test
    void alwaysIsEveryCalendarDayOfTheZone() {
        TradingWindow always = TradingWindow.parse("always", "MON-FRI", "America/New_York");
        TradingWindow.Period saturday = always.periodAt(Instant.parse("2024-01-13T03:00:00Z")); // Friday 22:00 in New York

        assertThat(always.isAlways()).isTrue();
        assertThat(saturday.active()).isTrue();
        assertThat(saturday.start()).isEqualTo(Instant.parse("2024-01-12T05:00:00Z"));
        assertThat(saturday.length()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void daysAndWindowsAreParsedOrRefusedWithTheReason() {
        assertThat(TradingWindow.parseDays("MON-FRI")).hasSize(5).doesNotContain(DayOfWeek.SATURDAY);
        assertThat(TradingWindow.parseDays("sat,sun")).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(TradingWindow.parseDays("FRI-MON")).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY,
                DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(TradingWindow.parse("08:00-16:30", "MON-SAT", "Europe/London").zone()).isEqualTo(ZoneId.of("Europe/London"));

        assertThatThrownBy(() -> TradingWindow.parse("9-16", "MON-FRI", "UTC")).hasMessageContaining("HH:MM-HH:MM or always");
        assertThatThrownBy(() -> TradingWindow.parse("16:00-09:30", "MON-FRI", "UTC")).hasMessageContaining("open before it closes");
        assertThatThrownBy(() -> TradingWindow.parse("09:30-16:00", "weekdays", "UTC")).hasMessageContaining("MON-FRI");
        assertThatThrownBy(() -> TradingWindow.parse("09:30-16:00", "", "UTC")).hasMessageContaining("at least one day");
        assertThatThrownBy(() -> TradingWindow.parse("09:30-16:00", "MON-FRI", "Wall/Street")).hasMessageContaining("time zone");
    }
}
