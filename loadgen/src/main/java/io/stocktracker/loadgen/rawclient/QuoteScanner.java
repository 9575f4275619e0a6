package io.stocktracker.loadgen.rawclient;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one server text frame from its bytes and keeps only what the benchmark needs: the frame's
 * {@code type}, the {@code snapshot} flag, and per quote (one for a {@code price_update}, one per element of a
 * {@code batch_update}) its symbol (as a slice of the frame), {@code seq} and {@code ingestedAt} in epoch
 * microseconds. Every other field is skipped without being decoded; field order is not assumed. One
 * instance per reading thread: its results are overwritten by the next {@link #scan}.
 */
public final class QuoteScanner {
    public enum Type { PRICE_UPDATE, BATCH_UPDATE, SUBSCRIBED, CONNECTED, ERROR, OTHER }

    private static final byte[] TYPE = bytes("type");
    private static final byte[] SNAPSHOT = bytes("snapshot");
    private static final byte[] DATA = bytes("data");
    private static final byte[] UPDATES = bytes("updates");
    private static final byte[] SYMBOL = bytes("symbol");
    private static final byte[] SEQ = bytes("seq");
    private static final byte[] INGESTED_AT = bytes("ingestedAt");
    private static final byte[] CODE = bytes("code");
    private static final byte[] T_PRICE_UPDATE = bytes("price_update");
    private static final byte[] T_BATCH_UPDATE = bytes("batch_update");
    private static final byte[] T_SUBSCRIBED = bytes("subscribed");
    private static final byte[] T_CONNECTED = bytes("connected");
    private static final byte[] T_ERROR = bytes("error");

    /** Thrown for any malformed input; preallocated because a hostile or broken frame must stay cheap. */
    private static final RuntimeException MALFORMED = new RuntimeException("malformed frame", null, false, false) {};

    private byte[] b;
    private int p;
    private int end;
    private int strStart;
    private int strLen;

    private Type type;
    private boolean snapshot;
    private int topSymbolOff;
    private int topSymbolLen;
    private int codeOff;
    private int codeLen;
    private int count;
    private int[] symbolOff = new int[16];
    private int[] symbolLen = new int[16];
    private long[] seq = new long[16];
    private long[] ingestedMicros = new long[16];

    /** Reads {@code len} bytes of {@code buf} from {@code off}; false when they are not one JSON object. */
    public boolean scan(byte[] buf, int off, int len) {
        b = buf;
        p = off;
        end = off + len;
        type = Type.OTHER;
        snapshot = false;
        topSymbolOff = -1;
        topSymbolLen = -1;
        codeOff = -1;
        codeLen = -1;
        count = 0;
        try {
            ws();
            expect('{');
            topObject();
        } catch (RuntimeException e) {
            count = 0;
            type = Type.OTHER;
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (symbolLen[i] < 0) {
                symbolOff[i] = topSymbolOff;
                symbolLen[i] = topSymbolLen;
            }
        }
        return true;
    }

    public Type type() {
        return type;
    }

    public boolean snapshot() {
        return snapshot;
    }

    /** Quotes in the frame (0 unless it is a price_update or a batch_update). */
    public int quotes() {
        return count;
    }

    public int symbolOffset(int i) {
        return symbolOff[i];
    }

    /** -1 when the quote had no symbol at all. */
    public int symbolLength(int i) {
        return symbolLen[i];
    }

    /** -1 when the quote had no integer seq. */
    public long seq(int i) {
        return seq[i];
    }

    /** {@link IsoInstant#INVALID} when the quote had no readable ingestedAt. */
    public long ingestedMicros(int i) {
        return ingestedMicros[i];
    }

    /** The error frame's code, or null. */
    public String code() {
        return codeLen < 0 ? null : new String(b, codeOff, codeLen, StandardCharsets.UTF_8);
    }

    private void topObject() {
        ws();
        if (peek() == '}') {
            p++;
            return;
        }
        while (true) {
            ws();
            string();
            int keyStart = strStart;
            int keyLen = strLen;
            ws();
            expect(':');
            ws();
            if (is(keyStart, keyLen, TYPE)) {
                string();
                type = typeOf(strStart, strLen);
            } else if (is(keyStart, keyLen, SNAPSHOT)) {
                snapshot = literal();
            } else if (is(keyStart, keyLen, SYMBOL) && peek() == '"') {
                string();
                topSymbolOff = strStart;
                topSymbolLen = strLen;
            } else if (is(keyStart, keyLen, CODE) && peek() == '"') {
                string();
                codeOff = strStart;
                codeLen = strLen;
            } else if (is(keyStart, keyLen, DATA) && peek() == '{') {
                p++;
                quote(-1, -1);
            } else if (is(keyStart, keyLen, UPDATES) && peek() == '[') {
                p++;
                entries();
            } else {
                skipValue();
            }
            ws();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw MALFORMED;
            }
        }
    }

    private void entries() {
        ws();
        if (peek() == ']') {
            p++;
            return;
        }
        while (true) {
            ws();
            if (peek() == '{') {
                p++;
                entry();
            } else {
                skipValue();
            }
            ws();
            byte c = next();
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw MALFORMED;
            }
        }
    }

    /** {"symbol":..,"data":{..}}: the entry's symbol stands in for a data object without one. */
    private void entry() {
        int entrySymOff = -1;
        int entrySymLen = -1;
        int firstQuote = count;
        ws();
        if (peek() == '}') {
            p++;
            return;
        }
        while (true) {
            ws();
            string();
            int keyStart = strStart;
            int keyLen = strLen;
            ws();
            expect(':');
            ws();
            if (is(keyStart, keyLen, SYMBOL) && peek() == '"') {
                string();
                entrySymOff = strStart;
                entrySymLen = strLen;
            } else if (is(keyStart, keyLen, DATA) && peek() == '{') {
                p++;
                quote(entrySymOff, entrySymLen);
            } else {
                skipValue();
            }
            ws();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw MALFORMED;
            }
        }
        if (count > firstQuote && symbolLen[count - 1] < 0) {
            symbolOff[count - 1] = entrySymOff;
            symbolLen[count - 1] = entrySymLen;
        }
    }

    private void quote(int fallbackSymOff, int fallbackSymLen) {
        int symOff = fallbackSymOff;
        int symLen = fallbackSymLen;
        long s = -1;
        long stamp = IsoInstant.INVALID;
        ws();
        if (peek() == '}') {
            p++;
        } else {
            while (true) {
                ws();
                string();
                int keyStart = strStart;
                int keyLen = strLen;
                ws();
                expect(':');
                ws();
                if (is(keyStart, keyLen, SYMBOL) && peek() == '"') {
                    string();
                    symOff = strStart;
                    symLen = strLen;
                } else if (is(keyStart, keyLen, SEQ)) {
                    s = integer();
                } else if (is(keyStart, keyLen, INGESTED_AT) && peek() == '"') {
                    string();
                    stamp = IsoInstant.micros(b, strStart, strLen);
                } else {
                    skipValue();
                }
                ws();
                byte c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw MALFORMED;
                }
            }
        }
        if (count == seq.length) {
            int n = count * 2;
            symbolOff = Arrays.copyOf(symbolOff, n);
            symbolLen = Arrays.copyOf(symbolLen, n);
            seq = Arrays.copyOf(seq, n);
            ingestedMicros = Arrays.copyOf(ingestedMicros, n);
        }
        symbolOff[count] = symOff;
        symbolLen[count] = symLen;
        seq[count] = s;
        ingestedMicros[count] = stamp;
        count++;
    }

    private Type typeOf(int off, int len) {
        if (is(off, len, T_PRICE_UPDATE)) {
            return Type.PRICE_UPDATE;
        }
        if (is(off, len, T_BATCH_UPDATE)) {
            return Type.BATCH_UPDATE;
        }
        if (is(off, len, T_SUBSCRIBED)) {
            return Type.SUBSCRIBED;
        }
        if (is(off, len, T_CONNECTED)) {
            return Type.CONNECTED;
        }
        if (is(off, len, T_ERROR)) {
            return Type.ERROR;
        }
        return Type.OTHER;
    }

    /** A string at p (after whitespace): sets strStart/strLen to its raw content, escapes left as they are. */
    private void string() {
        expect('"');
        int start = p;
        while (true) {
            byte c = next();
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                next();
            }
        }
        strStart = start;
        strLen = p - 1 - start;
    }

    /** An integer value; -1 for any other number (the rest of it is skipped). */
    private long integer() {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            int d = b[p++] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw MALFORMED; // beyond a long
            }
            v = v * 10 + d;
            digits++;
        }
        if (digits == 0) {
            skipValue();
            return -1;
        }
        if (p < end && (b[p] == '.' || b[p] == 'e' || b[p] == 'E')) {
            skipValue();
            return -1;
        }
        return negative ? -v : v;
    }

    private boolean literal() {
        if (peek() == 't') {
            skipValue();
            return true;
        }
        skipValue();
        return false;
    }

    private void skipValue() {
        byte c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            do {
                c = next();
                if (c == '"') {
                    p--;
                    string();
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            } while (depth > 0);
        } else {
            // number, true, false, null
            int start = p;
            while (p < end && b[p] != ',' && b[p] != '}' && b[p] != ']' && b[p] > ' ') {
                p++;
            }
            if (p == start) {
                throw MALFORMED;
            }
        }
    }

    private void ws() {
        while (p < end && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
    }

    private byte peek() {
        if (p >= end) {
            throw MALFORMED;
        }
        return b[p];
    }

    private byte next() {
        if (p >= end) {
            throw MALFORMED;
        }
        return b[p++];
    }

    private void expect(char c) {
        if (next() != c) {
            throw MALFORMED;
        }
    }

    private boolean is(int off, int len, byte[] word) {
        return len == word.length && Arrays.equals(b, off, off + len, word, 0, word.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
