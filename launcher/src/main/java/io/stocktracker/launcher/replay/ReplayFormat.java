package io.stocktracker.launcher.replay;

import java.util.Locale;

/** Output formats of the replay. */
public enum ReplayFormat {
    /** One JSON object per line: the record's value exactly as stored in the topic. */
    JSONL,
    /** RFC 4180 CSV with a header row named after the record's fields. */
    CSV;

    public static ReplayFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "'; one of: jsonl, csv");
        }
    }
}
