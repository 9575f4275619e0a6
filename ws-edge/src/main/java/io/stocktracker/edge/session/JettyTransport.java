package io.stocktracker.edge.session;

import io.stocktracker.edge.fanout.TextFrame;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** Jetty 12 session writes with real completion callbacks: the fan-out never leans on Jetty's unbounded queue. */
final class JettyTransport implements Transport {
    private final Session session;

    JettyTransport(Session session) {
        this.session = session;
    }

    @Override
    public void send(Object frame, Consumer<Throwable> done) {
        if (frame instanceof TextFrame text && session instanceof WebSocketSession jetty) {
            // the shared UTF-8 bytes as the frame's payload: sendText(String) would encode them again per connection
            jetty.getCoreSession().sendFrame(new Frame(OpCode.TEXT, text.payload()),
                    org.eclipse.jetty.util.Callback.from(() -> done.accept(null), done), false);
            return;
        }
        Callback callback = Callback.from(() -> done.accept(null), done);
        if (frame instanceof byte[] bytes) {
            session.sendBinary(ByteBuffer.wrap(bytes), callback);
        } else {
            session.sendText(frame.toString(), callback);
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
