package io.stocktracker.loadgen.wire;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client's side of the RFC 6455 opening handshake: the GET with a fresh key, then the server's answer, which is
 * accepted only as a 101 carrying the Sec-WebSocket-Accept that key calls for (section 4.1): anything else, a
 * draining edge's 503 or a proxy's 200, is a refusal with the status line as its reason.
 */
final class Upgrade {
    /** An edge's 101 is about 150 bytes; past this the answer is not one. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;
    static final String WRONG_ACCEPT = "handshake without the matching Sec-WebSocket-Accept";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String ACCEPT_HEADER = "sec-websocket-accept:";

    private final String key;

    Upgrade() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    byte[] request(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        return ("GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + port(url)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : 80;
    }

    /** Where the answer's headers end (the index after the blank line), or -1 while they have not all come. */
    static int endOfHeaders(byte[] a, int length) {
        for (int i = 3; i < length; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Why the complete answer in {@code a[0, end)} is not an accepted upgrade, or null when it is. */
    String refusal(byte[] a, int end) {
        String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
        int eol = head.indexOf('\r');
        String status = head.substring(0, eol);
        if (!status.startsWith("HTTP/1.1 101")) {
            return "handshake " + (status.length() > 64 ? status.substring(0, 64) : status);
        }
        String accept = null;
        for (String line : head.substring(eol + 2).split("\r\n")) {
            if (line.regionMatches(true, 0, ACCEPT_HEADER, 0, ACCEPT_HEADER.length())) {
                accept = line.substring(ACCEPT_HEADER.length()).trim();
            }
        }
        return expectedAccept().equals(accept) ? null : WRONG_ACCEPT;
    }

    private String expectedAccept() {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
