package io.stocktracker.edge.session;

import java.util.function.Consumer;

/** What a client session needs from the socket; the Jetty implementation is {@link JettyTransport}. */
public interface Transport {
    /** Asynchronous write of a String or TextFrame (text frame) or byte[] (binary frame); {@code done} gets null on success. Never blocks. */
    void send(Object frame, Consumer<Throwable> done);

    void ping();

    void close(int code, String reason);

    /** Drops the TCP connection without a close handshake (for clients that stopped reading). */
    void disconnect();

    boolean isOpen();
}
