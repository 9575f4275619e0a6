package io.stocktracker.loadgen.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.IntConsumer;

/**
 * A deliberately slow reader on a plain socket with a tiny receive buffer: it takes one frame, then
 * sleeps. The JDK WebSocket cannot shrink SO_RCVBUF, and loopback buffers of several megabytes would
 * absorb minutes of a slow client's backlog; with a few kilobytes the edge feels the back-pressure
 * within seconds, which is what the slow-consumers scenario is about. Minimal RFC 6455 client: text
 * frames, fragmentation, ping/pong, close; one thread per connection (slow clients are few).
 */
final class SlowConnection implements Runnable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI url;
    private final Duration connectTimeout;
    private final int receiveBuffer;
    private final Duration readDelay;
    private final String subscribeJson;
    private final BiPredicate<String, Long> onText; // returns true for the subscribe acknowledgement
    private final IntConsumer onServerClose;
    final CompletableFuture<Long> subscribed = new CompletableFuture<>();
    private volatile Socket socket;
    private volatile boolean closing;

    SlowConnection(URI url, Duration connectTimeout, int receiveBuffer, Duration readDelay, String subscribeJson,
                   BiPredicate<String, Long> onText, IntConsumer onServerClose) {
        this.url = url;
        this.connectTimeout = connectTimeout;
        this.receiveBuffer = receiveBuffer;
        this.readDelay = readDelay;
        this.subscribeJson = subscribeJson;
        this.onText = onText;
        this.onServerClose = onServerClose;
    }

    @Override
    public void run() {
        try (Socket s = new Socket()) {
            socket = s;
            s.setReceiveBufferSize(receiveBuffer); // before connect, so the advertised window is small from the start
            int port = url.getPort() > 0 ? url.getPort() : 80;
            s.connect(new InetSocketAddress(url.getHost(), port), (int) connectTimeout.toMillis());
            s.setSoTimeout((int) Math.max(connectTimeout.toMillis(), 60_000));
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1024));
            handshake(out, in, url.getHost() + ":" + port);
            sendFrame(out, 0x1, subscribeJson.getBytes(StandardCharsets.UTF_8));
            readLoop(in, out);
        } catch (IOException e) {
            if (!closing) {
                subscribed.completeExceptionally(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscribed.completeExceptionally(new IllegalStateException("connection ended"));
        }
    }

    private void handshake(OutputStream out, DataInputStream in, String host) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + status);
        }
        while (!readLine(in).isEmpty()) {
            // headers: nothing the loadgen needs (no extension or subprotocol was offered)
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        throw new EOFException("connection closed during the handshake");
    }

    private void readLoop(DataInputStream in, OutputStream out) throws IOException, InterruptedException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = null;
            if ((b1 & 0x80) != 0) {
                mask = new byte[4];
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        long receivedMicros = io.stocktracker.loadgen.report.MeasurementWindow.nowMicros();
                        if (onText.test(message.toString(StandardCharsets.UTF_8), receivedMicros)) {
                            subscribed.complete(System.nanoTime());
                        }
                        message.reset();
                        Thread.sleep(readDelay.toMillis());
                    }
                }
                case 0x8 -> {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    if (!closing) {
                        onServerClose.accept(code);
                    }
                    sendFrame(out, 0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    return;
                }
                case 0x9 -> sendFrame(out, 0xA, payload);
                default -> {
                    // pong or binary: nothing to do for a JSON client
                }
            }
        }
    }

    private synchronized void sendFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Drops the TCP connection, as a network failure would. */
    void drop() {
        closing = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    void close() {
        Socket s = socket;
        if (s != null && !s.isClosed()) {
            closing = true;
            try {
                sendFrame(s.getOutputStream(), 0x8, new byte[] {0x03, (byte) 0xE8});
            } catch (IOException ignored) {
                // the drop below ends it anyway
            }
        }
        drop();
    }

    static String describe(int receiveBuffer, Duration delay) {
        return String.format(Locale.ROOT, "plain socket, %d B receive buffer, one frame per %d ms", receiveBuffer, delay.toMillis());
    }
}
