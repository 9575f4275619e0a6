package io.stocktracker.edge.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A text frame's payload as UTF-8 bytes, shared by every connection it goes to: the update is encoded once (or not at
 * all when it arrived from Redis as bytes) instead of once per connection, as {@code sendText(String)} would.
 */
public final class TextFrame {
    private final byte[] utf8;

    private TextFrame(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * The bytes as they came when they are valid UTF-8 (RFC 6455 makes a client fail the connection on anything else);
     * otherwise decoded with replacement characters and encoded again, as a String frame would have been.
     */
    public static TextFrame ofUtf8(byte[] bytes) {
        return new TextFrame(isValidUtf8(bytes) ? bytes : new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes this edge encoded itself (Jackson's UTF-8 output): no check needed. */
    static TextFrame ofTrustedUtf8(byte[] bytes) {
        return new TextFrame(bytes);
    }

    public static TextFrame of(String text) {
        return new TextFrame(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A view of its own for one write (the transport advances its position); the bytes are not copied. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(utf8);
    }

    public int length() {
        return utf8.length;
    }

    byte[] bytes() {
        return utf8;
    }

    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }

    private static boolean isValidUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
