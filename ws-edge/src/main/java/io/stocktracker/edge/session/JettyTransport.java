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
    public void send(Object frame, Consumer<Throwable> done) {
        Callback callback = Callback.from(() -> done.accept(null), done);
        if (frame instanceof byte[] bytes) {
            session.sendBinary(ByteBuffer.wrap(bytes), callback);
        } else {
            session.sendText((String) frame, callback);
        }
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
