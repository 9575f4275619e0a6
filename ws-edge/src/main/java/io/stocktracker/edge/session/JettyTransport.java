package io.stocktracker.edge.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Jetty 12 session writes with real completion callbacks: the fan-out never leans on Jetty's unbounded queue. */
final class JettyTransport implements Transport {
    private final Session session;

    JettyTransport(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        session.sendText(text, Callback.from(() -> done.accept(null), done));
    }

    @Override
    public void ping() {
        ByteBuffer payload = ByteBuffer.allocate(Long.BYTES).putLong(System.currentTimeMillis()).flip();
        session.sendPing(payload, Callback.NOOP);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        session.disconnect();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }
}
