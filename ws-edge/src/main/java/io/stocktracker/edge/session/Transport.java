package io.stocktracker.edge.session;

import java.util.function.Consumer;

/** What a client session needs from the socket; the Jetty implementation is {@link JettyTransport}. */
public interface Transport {
    /** Asynchronous write; {@code done} gets null on success, the failure otherwise. Never blocks. */
    void send(String text, Consumer<Throwable> done);

    void ping();

    void close(int code, String reason);

    /** Drops the TCP connection without a close handshake (for clients that stopped reading). */
    void disconnect();

    boolean isOpen();
}
