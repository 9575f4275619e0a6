package io.stocktracker.loadgen.rawclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    private static long micros(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.US_ASCII);
        return IsoInstant.micros(b, 2, s.length());
    }

    private static long expected(String s) {
        Instant i = Instant.parse(s);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    @Test
    void readsEveryFractionLengthTheWireUsesAsInstantParseDoes() {
        for (String s : new String[] {"2026-12-07T13:09:41Z", "2026-12-07T13:09:41.1Z", "2026-12-07T13:09:41.123Z",
                "2026-12-07T13:09:41.123456Z", "2026-12-07T13:09:41.123456789Z", "1970-01-01T00:00:00Z",
                "2024-02-29T23:59:59.999999Z", "2000-03-01T00:00:00.000001Z", "1969-12-31T23:59:59.5Z"}) {
            assertThat(micros(s)).as(s).isEqualTo(expected(s));
        }
    }

    @Test
    void agreesWithInstantToStringOverManyInstants() {
        long start = Instant.parse("1999-12-31T23:00:00Z").getEpochSecond();
        for (long i = 0; i < 2_000; i++) {
            Instant t = Instant.ofEpochSecond(start + i * 86_413 * 7, i * 7_919_111L % 1_000_000_000L);
            assertThat(micros(t.toString())).as(t.toString()).isEqualTo(expected(t.toString()));
        }
    }

    @Test
    void refusesWhatIsNotAnUtcInstant() {
        for (String s : new String[] {"", "2026-12-07", "2026-12-07T13:09:41", "2026-12-07T13:09:41+01:00",
                "2026-13-07T13:09:41Z", "2026-12-07T13:09:41.Z", "2026-12-07T13:09:41.1234567890Z", "2026-12-07T1a:09:41Z",
                "2026/12/07T13:09:41Z"}) {
            assertThat(micros(s)).as(s).isEqualTo(IsoInstant.INVALID);
        }
    }
}
