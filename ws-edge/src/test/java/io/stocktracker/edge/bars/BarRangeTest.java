package io.stocktracker.edge.bars;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BarRangeTest {
    private static final BarSession UTC_MIDNIGHT = new BarSession(ZoneOffset.UTC, LocalTime.MIDNIGHT);
    private static final BarSession NEW_YORK = new BarSession(ZoneId.of("America/New_York"), LocalTime.of(9, 30));
    private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");

    @Test
    void withoutParametersItIsTodaysSession() {
        BarRange r = BarRange.parse(null, null, NOW, UTC_MIDNIGHT);
        assertThat(r.error()).isNull();
        assertThat(r.from()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(r.to()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
    }

    @Test
    void theSessionOpensAtItsLocalTimeAndBeforeThatItIsYesterdays() {
        assertThat(BarRange.parse(null, null, NOW, NEW_YORK).from()).isEqualTo(Instant.parse("2026-12-07T14:30:00Z"));
        assertThat(BarRange.parse(null, null, Instant.parse("2026-12-07T14:00:00Z"), NEW_YORK).from())
                .isEqualTo(Instant.parse("2026-12-06T14:30:00Z"));
    }

    @Test
    void isoTimesWithAnOffsetAreRead() {
        BarRange r = BarRange.parse("2026-12-07T09:30:00-05:00", "2026-12-07T15:00:00Z", NOW, UTC_MIDNIGHT);
        assertThat(r.error()).isNull();
        assertThat(r.from()).isEqualTo(Instant.parse("2026-12-07T14:30:00Z"));
        assertThat(r.to()).isEqualTo(Instant.parse("2026-12-07T15:00:00Z"));
        assertThat(BarRange.parse("2026-12-07T14:30:00.5Z", null, NOW, UTC_MIDNIGHT).to())
                .isEqualTo(Instant.parse("2026-12-08T15:30:00.5Z"));
    }

    @Test
    void badParametersAreInvalidRangeNamingTheParameter() {
        assertInvalid(BarRange.parse("yesterday", null, NOW, UTC_MIDNIGHT), "'from'");
        assertInvalid(BarRange.parse(null, "2026-12-07", NOW, UTC_MIDNIGHT), "'to'");
        assertInvalid(BarRange.parse("2026-12-07T14:30:00", null, NOW, UTC_MIDNIGHT), "'from'"); // no offset: ambiguous
        assertInvalid(BarRange.parse("2026-12-07T15:00:00Z", "2026-12-07T15:00:00Z", NOW, UTC_MIDNIGHT), "must be after");
        assertInvalid(BarRange.parse("2026-12-07T15:00:00Z", "2026-12-07T14:00:00Z", NOW, UTC_MIDNIGHT), "must be after");
        assertInvalid(BarRange.parse("2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z", NOW, UTC_MIDNIGHT), "longer than 25 hours");
    }

    @Test
    void aHugeOrControlCharacterParameterIsNeitherParsedNorEchoedWhole() {
        String huge = "2026-12-07T14:30:00Z".repeat(5000);
        BarRange r = BarRange.parse(huge, null, NOW, UTC_MIDNIGHT);
        assertInvalid(r, "'from'");
        assertThat(r.message().length()).isLessThan(200);
        assertThat(BarRange.parse("2026\n12", null, NOW, UTC_MIDNIGHT).message()).doesNotContain("\n");
    }

    private static void assertInvalid(BarRange r, String mentions) {
        assertThat(r.error()).isEqualTo(ErrorCode.INVALID_RANGE);
        assertThat(r.from()).isNull();
        assertThat(r.message()).contains(mentions);
    }
}
