package io.stocktracker.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare-socket WebSocket client that does only what the test tells it: it never answers pings and it
 * stops reading when the test stops calling {@link #readFrame()}: the misbehaving clients real servers meet.
 */
final class RawWebSocket implements AutoCloseable {
    record Frame(int opcode, byte[] payload, boolean compressed) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    /** The FIN bit of the last frame read: false while a fragmented message goes on. */
    private boolean lastFin;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** @param receiveBuffer small values make the kernel stop accepting data soon after the client stops reading */
    static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
        return connect(port, receiveBuffer, "");
    }

    /** The response headers of the last handshake (for extension negotiation checks). */
    String handshake = "";

    static RawWebSocket connect(int port, int receiveBuffer, String extraHeaders) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        RawWebSocket ws = new RawWebSocket(s);
        byte[] key = new byte[16];
        ws.random.nextBytes(key);
        String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n";
        ws.out.write(req.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String status = ws.readHeaders();
        ws.handshake = status;
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        return ws;
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in headers");
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < len; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one frame (blocking, up to the socket timeout); null at end of stream. */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        lastFin = (b0 & 0x80) != 0;
        return new Frame(b0 & 0x0f, payload, (b0 & 0x40) != 0);
    }

    /** The next whole text or binary message (its fragments joined) or close frame; pings and pongs are skipped. */
    Frame readMessage() throws IOException {
        Frame first = readDataFrame();
        if (first == null || first.opcode() == CLOSE || lastFin) {
            return first;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(first.payload());
        do {
            Frame next = readDataFrame();
            if (next == null) {
                return null;
            }
            if (next.opcode() != 0) {
                throw new IOException("frame of opcode " + next.opcode() + " inside a fragmented message");
            }
            joined.writeBytes(next.payload());
        } while (!lastFin);
        return new Frame(first.opcode(), joined.toByteArray(), first.compressed());
    }

    /** The next text, binary or close frame; pings and pongs are skipped (and never answered). */
    Frame readDataFrame() throws IOException {
        Frame f;
        do {
            f = readFrame();
        } while (f != null && (f.opcode() == PING || f.opcode() == PONG));
        return f;
    }

    InputStream input() {
        return in;
    }

    void setReadTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
