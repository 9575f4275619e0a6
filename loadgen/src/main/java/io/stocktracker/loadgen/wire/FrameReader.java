package io.stocktracker.loadgen.wire;

import java.util.Arrays;

/**
 * Server frames to whole messages, judged by RFC 6455 and this client's limits: no socket here, the connection hands
 * in what it read and acts on what comes out. Each frame is judged on its header alone, so a hostile length is refused
 * before its payload is waited for. One per connection: it keeps the fragments of the message being reassembled.
 */
final class FrameReader {
    /** Bigger frames and messages are refused: the edge's largest, a batch of MAX_PENDING_SYMBOLS quotes, is far below. */
    static final int MAX_MESSAGE = 16 * 1024 * 1024;
    /** RFC 6455 section 5.5. */
    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** Where complete frames go; each call's bytes are only valid during it. */
    interface Frames {
        /** False once a call has ended the connection: the rest is not read. */
        boolean reading();

        void message(boolean text, byte[] a, int off, int len);

        void ping(byte[] a, int off, int len);

        void close(byte[] a, int off, int len);

        void refused(String reason);
    }

    private final WsFrames.Header header = new WsFrames.Header();
    private byte[] fragments;
    private int fragmentsLength;
    /** The opcode of the message being reassembled, or -1 between messages. */
    private int fragmentsOpcode = -1;

    /** Hands every complete frame in {@code a[off, off+len)} to {@code to}; returns the bytes consumed. */
    int read(byte[] a, int off, int len, Frames to) {
        int p = off;
        int limit = off + len;
        while (to.reading() && header.parse(a, p, limit - p)) {
            String wrong = refused();
            if (wrong != null) {
                to.refused(wrong);
                return len;
            }
            long total = header.headerLength + header.payloadLength;
            if (total > limit - p) {
                break;
            }
            int payload = p + header.headerLength;
            int plen = (int) header.payloadLength;
            switch (header.opcode) {
                case WsFrames.TEXT, WsFrames.BINARY, WsFrames.CONTINUATION -> data(a, payload, plen, to);
                case WsFrames.PING -> to.ping(a, payload, plen);
                case WsFrames.CLOSE -> to.close(a, payload, plen);
                default -> { } // pong
            }
            p += (int) total;
        }
        return p - off;
    }

    /** Why the frame whose header was just parsed breaks RFC 6455 or this client's limits; null when it does not. */
    private String refused() {
        int op = header.opcode;
        if (header.payloadLength < 0 || header.payloadLength > MAX_MESSAGE) {
            return "frame too long";
        }
        if (header.masked) {
            return "masked server frame"; // RFC 6455 section 5.1: a client must close on one
        }
        if (header.reserved != 0) {
            return "reserved bits set"; // no extension was negotiated
        }
        if (op != WsFrames.TEXT && op != WsFrames.BINARY && op != WsFrames.CONTINUATION
                && op != WsFrames.CLOSE && op != WsFrames.PING && op != WsFrames.PONG) {
            return "unknown opcode";
        }
        if (op >= WsFrames.CLOSE) {
            return !header.fin || header.payloadLength > MAX_CONTROL_PAYLOAD ? "control frame fragmented or too long" : null;
        }
        if ((op == WsFrames.CONTINUATION) != (fragmentsOpcode >= 0)) {
            return op == WsFrames.CONTINUATION ? "continuation without a message" : "new message inside a fragmented one";
        }
        if (fragmentsLength + header.payloadLength > MAX_MESSAGE) {
            return "message too long";
        }
        return null;
    }

    private void data(byte[] a, int off, int len, Frames to) {
        if (header.opcode != WsFrames.CONTINUATION && header.fin) {
            to.message(header.opcode == WsFrames.TEXT, a, off, len);
            return;
        }
        if (header.opcode != WsFrames.CONTINUATION) {
            fragmentsOpcode = header.opcode;
        }
        if (fragments == null || fragments.length < fragmentsLength + len) {
            fragments = Arrays.copyOf(fragments == null ? new byte[0] : fragments, Math.max(fragmentsLength + len, 4096) * 2);
        }
        System.arraycopy(a, off, fragments, fragmentsLength, len);
        fragmentsLength += len;
        if (header.fin) {
            boolean text = fragmentsOpcode == WsFrames.TEXT;
            int length = fragmentsLength;
            fragmentsOpcode = -1;
            fragmentsLength = 0;
            to.message(text, fragments, 0, length);
        }
    }
}
