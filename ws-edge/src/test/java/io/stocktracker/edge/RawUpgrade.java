package io.stocktracker.edge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket upgrade request on a bare socket, the way a hostile client sends it: the test sees the HTTP status,
 * headers and body of a refusal, can keep the socket open without ever answering, and can ask whether the server
 * hung up.
 */
final class RawUpgrade implements AutoCloseable {
    final int status;
    final Map<String, String> headers;
    final String body;
    private final Socket socket;
    private final DataInputStream in;

    private RawUpgrade(Socket socket, DataInputStream in, int status, Map<String, String> headers, String body) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** @param pathAndQuery e.g. {@code /ws?token=x}; {@code extraHeaders} lines each ending in CRLF */
    static RawUpgrade send(int port, String pathAndQuery, String extraHeaders) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] b = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(b);
            body = new String(b, StandardCharsets.UTF_8);
        }
        return new RawUpgrade(s, in, status, headers, body);
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in response head: " + buf.toString(StandardCharsets.US_ASCII));
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    /**
     * Whether the server let go of the connection within the time, never answering its close frame: it sent its FIN
     * (reads end) and then closed the socket for good, which a write then shows (the peer answers it with a reset).
     * A server that only half-closes, keeping the socket until its idle timeout, is not letting go.
     */
    boolean serverReleasedWithin(int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] sink = new byte[4096];
        boolean eof = false;
        while (!eof) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                eof = in.read(sink) < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        // a masked, empty ping: harmless to a server still reading, answered with a reset by a closed socket
        byte[] ping = {(byte) 0x89, (byte) 0x80, 1, 2, 3, 4};
        while (System.nanoTime() < deadline) {
            try {
                socket.getOutputStream().write(ping);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                return true;
            }
            try {
                Thread.sleep(50); // polling for the reset, not an assertion
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
