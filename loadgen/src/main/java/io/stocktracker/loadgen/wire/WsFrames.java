package io.stocktracker.loadgen.wire;

import java.util.concurrent.ThreadLocalRandom;

/** RFC 6455 framing, the client's side: reading a server frame's header, writing a masked client frame. */
final class WsFrames {
    public static final int TEXT = 0x1;
    public static final int CONTINUATION = 0x0;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One parsed header; reused. */
    public static final class Header {
        public boolean fin;
        /** RSV1-3: must be 0, as this client negotiates no extension. */
        public int reserved;
        public int opcode;
        public int headerLength;
        public long payloadLength;
        public boolean masked;
        public final byte[] mask = new byte[4];

        /**
         * Parses the header starting at {@code off}; false when fewer than a whole header's bytes are there yet.
         * A payload length with the top bit set (RFC 6455 forbids it) becomes a negative length: the caller refuses it.
         */
        public boolean parse(byte[] a, int off, int avail) {
            if (avail < 2) {
                return false;
            }
            int b0 = a[off] & 0xFF;
            int b1 = a[off + 1] & 0xFF;
            fin = (b0 & 0x80) != 0;
            reserved = (b0 >>> 4) & 0x7;
            opcode = b0 & 0x0F;
            masked = (b1 & 0x80) != 0;
            int len7 = b1 & 0x7F;
            int h = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
            if (avail < h) {
                return false;
            }
            long len;
            if (len7 == 126) {
                len = ((a[off + 2] & 0xFF) << 8) | (a[off + 3] & 0xFF);
            } else if (len7 == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | (a[off + 2 + i] & 0xFF);
                }
            } else {
                len = len7;
            }
            if (masked) {
                System.arraycopy(a, off + h - 4, mask, 0, 4);
            }
            headerLength = h;
            payloadLength = len;
            return true;
        }
    }

    private WsFrames() {}

    /** A complete, masked client frame (FIN set). */
    public static byte[] clientFrame(int opcode, byte[] payload) {
        int n = payload.length;
        int h = 2 + (n < 126 ? 0 : n < 65_536 ? 2 : 8) + 4;
        byte[] out = new byte[h + n];
        out[0] = (byte) (0x80 | opcode);
        int i;
        if (n < 126) {
            out[1] = (byte) (0x80 | n);
            i = 2;
        } else if (n < 65_536) {
            out[1] = (byte) (0x80 | 126);
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
            i = 4;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int k = 0; k < 8; k++) {
                out[2 + k] = (byte) ((long) n >>> (56 - 8 * k));
            }
            i = 10;
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(m, 0, out, i, 4);
        i += 4;
        for (int k = 0; k < n; k++) {
            out[i + k] = (byte) (payload[k] ^ m[k & 3]);
        }
        return out;
    }
}
