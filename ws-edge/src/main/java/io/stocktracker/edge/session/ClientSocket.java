package io.stocktracker.edge.session;

import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.LoggerFactory;

/**
 * The Jetty listener for one connection. Jetty's listener (unlike Javalin's WsConfig) reports pongs, which
 * is what lets the heartbeat tell a live client from a dead one.
 */
public final class ClientSocket implements Session.Listener.AutoDemanding {
    private final ConnectionManager connections;
    private final ClientMessageHandler handler;
    private final String remoteIp;
    private final WireFormat format;
    private final Principal principal;
    private final Runnable onClosed;
    private ClientSession client;

    ClientSocket(ConnectionManager connections, ClientMessageHandler handler, String remoteIp, WireFormat format,
                 Principal principal, Runnable onClosed) {
        this.format = format;
        this.connections = connections;
        this.handler = handler;
        this.remoteIp = remoteIp;
        this.principal = principal;
        this.onClosed = onClosed;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        client = connections.handleConnection(new JettyTransport(session), remoteIp, format, principal);
    }

    @Override
    public void onWebSocketText(String message) {
        if (client == null) {
            return;
        }
        try {
            handler.onText(client, message);
        } catch (RuntimeException e) {
            // a bug must cost one message, not the connection
            LoggerFactory.getLogger(ClientSocket.class).warn("client {}: failed to handle a message", client.clientId(), e);
            client.send(ErrorMessage.of(ErrorCode.INTERNAL_ERROR, "The server failed to handle the message; nothing was changed"));
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (client != null) {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                handler.onBinary(client, bytes);
            }
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        if (client != null) {
            handler.onPong(client);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (client != null) {
            connections.onClosed(client);
        } else {
            onClosed.run();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // the close callback follows and cleans up
    }

    /**
     * Accepted at the WebSocket level only to say why it is refused (browsers cannot read an HTTP 401), then dropped: a
     * client that does not answer the close is disconnected {@link ConnectionManager#REFUSED_LINGER_MS} later, not at
     * Jetty's idle timeout, and until then it holds its address's connection slot (released exactly once).
     */
    public static final class Refused implements Session.Listener.AutoDemanding {
        private final ErrorCode error;
        private final CloseCode close;
        private final String reason;
        private final Consumer<Runnable> dropLater;
        private final Runnable onClosed;
        private final AtomicBoolean released = new AtomicBoolean();

        Refused(ErrorCode error, CloseCode close, String reason, Consumer<Runnable> dropLater, Runnable onClosed) {
            this.error = error;
            this.close = close;
            this.reason = reason;
            this.dropLater = dropLater;
            this.onClosed = onClosed;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            String frame = ProtocolCodec.encode(ErrorMessage.of(error, reason));
            session.sendText(frame, Callback.from(() -> session.close(close.code(), reason, Callback.NOOP),
                    t -> session.disconnect()));
            dropLater.accept(session::disconnect);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            if (released.compareAndSet(false, true)) {
                onClosed.run();
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a refused client hanging up first is expected; the close callback follows and releases
        }
    }
}
