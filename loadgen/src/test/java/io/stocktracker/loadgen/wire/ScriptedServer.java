package io.stocktracker.loadgen.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket "server" on an ephemeral loopback port that plays one script per accepted connection, byte by byte,
 * so a test can answer what a real edge never would: a refused or forged upgrade, a frame longer than any limit,
 * a message cut into fragments. Blocking sockets on its own thread; the client under test stays non-blocking.
 */
public final class ScriptedServer implements AutoCloseable {
    /** RFC 6455 section 1.3: what the server appends to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public interface Script {
        void play(Peer peer) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Thread thread;
    private final CompletableFuture<Void> played = new CompletableFuture<>();

    private ScriptedServer(Script script) throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(() -> {
            try (SocketChannel ch = server.accept()) {
                script.play(new Peer(ch));
                played.complete(null);
            } catch (Exception | AssertionError e) {
                played.completeExceptionally(e);
            }
        }, "scripted-ws-server");
        thread.setDaemon(true);
        thread.start();
    }

    public static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script);
    }

    /** Answers the upgrade request with {@code head} (status line and headers, blank line included), then waits. */
    public static ScriptedServer answering(String head) throws IOException {
        return start(peer -> {
            peer.readRequest();
            peer.write(head.getBytes(StandardCharsets.US_ASCII));
            peer.awaitClientGone();
        });
    }

    /** A 101 that looks right but for its accept, which answers another key than the client's. */
    public static String upgradeForAnotherKey() throws NoSuchAlgorithmException {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + accept("dGhlIHNhbXBsZSBub25jZQ==") + "\r\n\r\n";
    }

    public URI url() throws IOException {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort() + "/ws?x=1");
    }

    /** Waits for the script to end; rethrows what went wrong in it. */
    public void awaitPlayed() throws Exception {
        played.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5_000);
    }

    public static String accept(String key) throws NoSuchAlgorithmException {
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha1);
    }

    /** An unmasked server frame; {@code claimedLength} is what the header says, whatever the payload's size. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, long claimedLength) {
        ByteBuffer b = ByteBuffer.allocate(10 + payload.length);
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (claimedLength >= 0 && claimedLength < 126) {
            b.put((byte) claimedLength);
        } else if (claimedLength >= 0 && claimedLength < 65_536) {
            b.put((byte) 126).putShort((short) claimedLength);
        } else {
            b.put((byte) 127).putLong(claimedLength);
        }
        b.put(payload).flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    public static byte[] frame(boolean fin, int opcode, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return frame(fin, opcode, payload, payload.length);
    }

    /** The accepted connection, blocking. */
    public static final class Peer {
        private final SocketChannel ch;

        Peer(SocketChannel ch) {
            this.ch = ch;
        }

        /** Reads the upgrade request; returns its Sec-WebSocket-Key and request line. */
        public String[] readRequest() throws IOException {
            StringBuilder s = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (s.length() < 4 || !s.substring(s.length() - 4).equals("\r\n\r\n")) {
                one.clear();
                if (ch.read(one) < 0) {
                    throw new IOException("the client left during its request: " + s);
                }
                s.append((char) one.get(0));
            }
            String key = null;
            for (String line : s.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
                    key = line.substring(18).trim();
                }
            }
            return new String[] {key, s.substring(0, s.indexOf("\r\n"))};
        }

        /** Reads the request and answers 101 with the right accept. */
        public void upgrade() throws Exception {
            String key = readRequest()[0];
            write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        public void write(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        /** One client frame, unmasked: {opcode} followed by the payload. */
        public byte[] readFrame() throws IOException {
            byte[] h = readFully(2);
            int len = h[1] & 0x7F;
            long n = len == 126 ? ByteBuffer.wrap(readFully(2)).getShort() & 0xFFFF
                    : len == 127 ? ByteBuffer.wrap(readFully(8)).getLong() : len;
            if ((h[1] & 0x80) == 0) {
                throw new IOException("a client frame must be masked");
            }
            byte[] mask = readFully(4);
            byte[] payload = readFully((int) n);
            byte[] out = new byte[payload.length + 1];
            out[0] = (byte) (h[0] & 0x0F);
            for (int i = 0; i < payload.length; i++) {
                out[i + 1] = (byte) (payload[i] ^ mask[i & 3]);
            }
            return out;
        }

        /** Blocks until the client closes the socket (end of stream or a reset). */
        public void awaitClientGone() {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            try {
                while (ch.read(b) >= 0) {
                    b.clear();
                }
            } catch (IOException reset) {
                // gone as well
            }
        }

        private byte[] readFully(int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new IOException("the client left");
                }
            }
            return b.array();
        }
    }
}
