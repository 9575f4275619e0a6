package io.stocktracker.edge.protocol;

import static io.stocktracker.edge.fuzz.Fuzz.bytes;
import static io.stocktracker.edge.fuzz.Fuzz.length;
import static io.stocktracker.edge.fuzz.Fuzz.pick;
import static io.stocktracker.edge.fuzz.Fuzz.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fuzz.Fuzz;
import io.stocktracker.edge.fuzz.Fuzz.Property;
import io.stocktracker.schemas.contract.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Every client frame, JSON or MessagePack, random or shaped like a message with hostile headers, is answered with a
 * message or an error code, throws nothing and costs a bounded allocation. Frames reach the decoder only when within
 * MAX_FRAME_BYTES (4 KiB by default), so that is the size generated here.
 */
class ClientFrameFuzzTest {
    private static final int FRAME = 4096;
    private static final Set<ErrorCode> FRAME_ERRORS = Set.of(ErrorCode.INVALID_MESSAGE, ErrorCode.UNSUPPORTED_ACTION);
    private static final String JSON_ALPHABET = "{}[]\":,.-+eE0123456789 \\/tnrufalsebjdcio";
    private static final String[] KEYS = {"action", "symbols", "token", "timestamp", "since", "clientId", "", "ACTION", "a"};
    private static final String[] ACTIONS = {"subscribe", "unsubscribe", "ping", "refresh", "publish", "", "SUBSCRIBE"};
    private static final String[] NUMBERS = {"0", "-0", "1e999999999", "-1e-999999999", "9".repeat(70), "1." + "0".repeat(80),
            "9223372036854775808", "-9223372036854775809", "1E400", "0.1e-400", "NaN", "1e", "-", "01", "1.5"};

    @Test
    void randomJsonTextIsAnswered() {
        Fuzz.check(new Property<>("json-text-random", r -> text(r, JSON_ALPHABET, length(r, 200, FRAME)), String::length,
                Fuzz.linear(64, 64 * 1024), ClientFrameFuzzTest::answeredJson));
    }

    @Test
    void jsonShapedLikeMessagesIsAnswered() {
        Fuzz.check(new Property<>("json-text-structured", ClientFrameFuzzTest::jsonMessage, String::length,
                Fuzz.linear(64, 64 * 1024), ClientFrameFuzzTest::answeredJson));
    }

    @Test
    void randomMessagePackBytesAreAnswered() {
        Fuzz.check(new Property<>("msgpack-bytes-random", ClientFrameFuzzTest::msgpackNoise, b -> b.length,
                Fuzz.linear(64, 64 * 1024), ClientFrameFuzzTest::answeredMsgpack));
    }

    @Test
    void messagePackWithHostileHeadersIsAnswered() {
        Fuzz.check(new Property<>("msgpack-structured-hostile", ClientFrameFuzzTest::msgpackMessage, b -> b.length,
                Fuzz.linear(64, 64 * 1024), ClientFrameFuzzTest::answeredMsgpack));
    }

    private static void answeredJson(String text) {
        answered(ProtocolCodec.decode(text));
    }

    private static void answeredMsgpack(byte[] frame) {
        answered(ProtocolCodec.decodeMsgpack(frame));
    }

    private static void answered(ProtocolCodec.Decoded d) {
        assertThat(d.message() == null).as("exactly one of message and error").isNotEqualTo(d.error() == null);
        if (d.error() != null) {
            assertThat(d.error().code()).isIn(FRAME_ERRORS);
        }
    }

    // ---- JSON ----

    private static String jsonMessage(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        b.append("{\"action\":\"").append(pick(r, ACTIONS)).append('"');
        int fields = r.nextInt(4);
        for (int i = 0; i < fields; i++) {
            b.append(",\"").append(pick(r, KEYS)).append("\":");
            jsonValue(r, b, r.nextInt(8) == 0 ? 40 : 4);
        }
        b.append('}');
        String s = b.toString();
        int mutation = r.nextInt(6);
        if (mutation == 0 && !s.isEmpty()) {
            s = s.substring(0, r.nextInt(s.length()));
        } else if (mutation == 1 && !s.isEmpty()) {
            int at = r.nextInt(s.length());
            s = s.substring(0, at) + pick(r, "\\", "\"", "\\u", "\\ud800", "{", "]", ",", "\u0000") + s.substring(at);
        }
        return s.length() > FRAME ? s.substring(0, FRAME) : s;
    }

    private static void jsonValue(SplittableRandom r, StringBuilder b, int depth) {
        if (b.length() > FRAME) {
            b.append("0");
            return;
        }
        switch (depth <= 0 ? r.nextInt(4) : r.nextInt(7)) {
            case 0 -> b.append(pick(r, NUMBERS));
            case 1 -> b.append('"').append(text(r, "ABCxyz09.^-\\\"u", length(r, 12, 600)).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
            case 2 -> b.append(pick(r, "true", "false", "null", "\"2024-01-10T10:30:00Z\"", "\"+999999999-12-31T23:59:59Z\""));
            case 3 -> b.append('"').append(pick(r, "AAPL", "brk.b", "^GSPC", "QZXV42", "", " ", "A".repeat(21))).append('"');
            case 4, 5 -> {
                b.append('[');
                int n = r.nextInt(r.nextInt(10) == 0 ? 200 : 5);
                for (int i = 0; i < n && b.length() < FRAME; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    jsonValue(r, b, depth - 1);
                }
                b.append(']');
            }
            default -> {
                b.append('{');
                int n = r.nextInt(5);
                for (int i = 0; i < n && b.length() < FRAME; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append('"').append(pick(r, KEYS)).append(pick(r, "", "x", "A".repeat(300))).append("\":");
                    jsonValue(r, b, depth - 1);
                }
                b.append('}');
            }
        }
    }

    // ---- MessagePack ----

    /** Format bytes that carry a length, a count or a type, placed where a parser reads them. */
    private static final int[] MARKERS = {0xc1, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd8,
            0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xff};

    private static byte[] msgpackNoise(SplittableRandom r) {
        byte[] b = bytes(r, length(r, 48, FRAME));
        for (int i = 0; i < b.length; i++) {
            if (r.nextInt(4) == 0) {
                b[i] = (byte) MARKERS[r.nextInt(MARKERS.length)];
            } else if (r.nextInt(4) == 0) {
                b[i] = (byte) pick(r, "\u0000", "\u007f", "\u00ff").charAt(0);
            }
        }
        return b;
    }

    private static byte[] msgpackMessage(SplittableRandom r) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            int fields = 1 + r.nextInt(3);
            lyingOrHonest(r, p, true, fields, fields);
            p.packString("action").packString(pick(r, ACTIONS));
            for (int i = 1; i < fields; i++) {
                p.packString(pick(r, KEYS));
                msgpackValue(r, p, r.nextInt(8) == 0 ? 40 : 4);
            }
            byte[] b = p.toByteArray();
            if (r.nextInt(6) == 0 && b.length > 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            return b.length > FRAME ? java.util.Arrays.copyOf(b, FRAME) : b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void msgpackValue(SplittableRandom r, MessageBufferPacker p, int depth) throws IOException {
        if (p.getBufferSize() > FRAME) {
            p.packNil();
            return;
        }
        switch (depth <= 0 ? r.nextInt(6) : r.nextInt(9)) {
            case 0 -> p.packLong(r.nextLong());
            case 1 -> p.packDouble(pick(r, "n", "i", "x").equals("n") ? Double.NaN : r.nextDouble() * 1e300);
            case 2 -> p.packString(text(r, "AAPL^.-xyz", length(r, 8, 300)));
            case 3 -> {
                int n = length(r, 8, 300);
                long declared = lie(r, n);
                p.packRawStringHeader((int) declared);
                p.writePayload(new byte[n]);
            }
            case 4 -> {
                int n = length(r, 8, 100);
                switch (r.nextInt(2)) {
                    case 0 -> p.packBinaryHeader((int) lie(r, n));
                    default -> p.packExtensionTypeHeader((byte) pick(r, "\u00ff", "\u0001", "\u007f").charAt(0), (int) lie(r, n));
                }
                p.writePayload(new byte[n]);
            }
            case 5 -> {
                switch (r.nextInt(3)) {
                    case 0 -> p.packNil();
                    case 1 -> p.packBoolean(r.nextBoolean());
                    default -> p.packTimestamp(java.time.Instant.ofEpochSecond(r.nextLong(-1L << 40, 1L << 40), r.nextInt(1_000_000_000)));
                }
            }
            case 6, 7 -> {
                int n = r.nextInt(r.nextInt(10) == 0 ? 200 : 4);
                lyingOrHonest(r, p, false, n, n);
                for (int i = 0; i < n; i++) {
                    msgpackValue(r, p, depth - 1);
                }
            }
            default -> {
                int n = r.nextInt(4);
                lyingOrHonest(r, p, true, n, n);
                for (int i = 0; i < n; i++) {
                    if (r.nextInt(5) == 0) {
                        p.packInt(r.nextInt());
                    } else {
                        p.packString(pick(r, KEYS));
                    }
                    msgpackValue(r, p, depth - 1);
                }
            }
        }
    }

    private static void lyingOrHonest(SplittableRandom r, MessageBufferPacker p, boolean map, int honest, int unused)
            throws IOException {
        int declared = (int) lie(r, honest);
        if (map) {
            p.packMapHeader(declared);
        } else {
            p.packArrayHeader(declared);
        }
    }

    /**
     * The real length most of the time; otherwise one that points past the frame: just past, 64 KiB to 64 MiB (what
     * msgpack 0.9.12 still allocates up front), 128 MiB or 2 GiB (read in chunks since 0.9.11).
     */
    private static long lie(SplittableRandom r, int real) {
        return switch (r.nextInt(10)) {
            case 0 -> 0x7ffffff0;
            case 1 -> 0x08000000;
            case 2 -> real + 1 + r.nextInt(5000);
            case 3 -> 1L << (16 + r.nextInt(11));
            default -> real;
        };
    }
}
