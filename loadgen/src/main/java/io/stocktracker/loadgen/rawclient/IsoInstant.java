package io.stocktracker.loadgen.rawclient;

/**
 * Reads the ISO-8601 UTC instants the wire carries ({@code 2026-12-07T13:09:41.123456789Z}, 0 to 9 fraction
 * digits) straight from bytes as epoch microseconds: {@code Instant.parse} per quote would cost the client more
 * than the rest of its work at a quarter-million quotes a second.
 */
public final class IsoInstant {
    /** What {@link #micros} answers when the text is not such an instant. */
    public static final long INVALID = Long.MIN_VALUE;

    private IsoInstant() {}

    public static long micros(byte[] b, int off, int len) {
        // yyyy-MM-ddTHH:mm:ss then optional .f{1,9}, then Z
        if (len < 20 || b[off + 4] != '-' || b[off + 7] != '-' || b[off + 10] != 'T' || b[off + 13] != ':'
                || b[off + 16] != ':' || b[off + len - 1] != 'Z') {
            return INVALID;
        }
        int year = digits(b, off, 4);
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        int hour = digits(b, off + 11, 2);
        int minute = digits(b, off + 14, 2);
        int second = digits(b, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        long fractionMicros = 0;
        int end = off + len - 1;
        int p = off + 19;
        if (p < end) {
            if (b[p] != '.' || end - p - 1 < 1 || end - p - 1 > 9) {
                return INVALID;
            }
            long nanos = 0;
            int n = 0;
            for (int i = p + 1; i < end; i++, n++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return INVALID;
                }
                nanos = nanos * 10 + d;
            }
            for (; n < 9; n++) {
                nanos *= 10;
            }
            fractionMicros = nanos / 1000;
        }
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L + fractionMicros;
    }

    private static int digits(byte[] b, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = b[off + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Days from 1970-01-01 in the proleptic Gregorian calendar (the civil-from-days inverse). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
