package io.stocktracker.kit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Jedis' own socket (plain or TLS, keep-alive and no-delay on, its connect timeout) whose input passes through a
 * {@link ReplySizeGuard}: Jedis offers no bound on what it reads, but lets the socket be supplied.
 */
final class SizeGuardedSocketFactory implements JedisSocketFactory {
    private final DefaultJedisSocketFactory sockets;
    private final long maxReply;

    SizeGuardedSocketFactory(HostAndPort address, JedisClientConfig config, long maxReply) {
        this.sockets = new DefaultJedisSocketFactory(address, config);
        this.maxReply = maxReply;
    }

    @Override
    public Socket createSocket() throws JedisConnectionException {
        return new GuardedSocket(sockets.createSocket(), maxReply);
    }

    /** Delegates what Jedis' Connection calls on its socket; only the input stream differs. */
    private static final class GuardedSocket extends Socket {
        private final Socket socket;
        private final InputStream input;

        GuardedSocket(Socket socket, long maxReply) throws JedisConnectionException {
            this.socket = socket;
            try {
                this.input = new ReplySizeGuard(socket.getInputStream(), maxReply);
            } catch (IOException e) {
                throw new JedisConnectionException(e);
            }
        }

        @Override
        public InputStream getInputStream() {
            return input;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return socket.getOutputStream();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            socket.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return socket.getSoTimeout();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return socket.getRemoteSocketAddress();
        }

        @Override
        public boolean isBound() {
            return socket.isBound();
        }

        @Override
        public boolean isConnected() {
            return socket.isConnected();
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public boolean isInputShutdown() {
            return socket.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return socket.isOutputShutdown();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }
}
