package io.stocktracker.loadgen.wire;

import io.stocktracker.loadgen.wire.Ending.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One client connection's RFC 6455 state machine over a non-blocking {@link SocketChannel}, served by a
 * {@link SelectorLoop} (and touched on its thread only): connect, upgrade ({@link Upgrade}), read frames
 * ({@link FrameReader}), answer pings, send masked frames, close. The server is not trusted: an answer that is not a
 * matching 101, a frame or message over the limits, a frame RFC 6455 forbids, a server that does not read, all end
 * this connection with a named reason ({@link Ending}); nothing is thrown to the loop. Each attempt is a new
 * instance; what a client does with its messages is its listener's.
 */
public final class RawConnection {
    /** This client only writes subscribes, pongs and a close: a server that lets this much pile up does not read. */
    private static final int MAX_PENDING_OUT = 1024 * 1024;
    private static final int NO_CLOSE_CODE = 1005;

    /** What the client does with its connection; called on the loop's thread. */
    public interface Listener {
        /** The server accepted the upgrade: text may be sent. */
        void upgraded();

        /** One whole text message; {@code a} is only valid during the call. */
        void text(byte[] a, int off, int len);

        /** One whole binary message: PROTOCOL.md sends none, so at most its arrival is worth counting. */
        default void binary() { }

        /** Once, when the server or the network ended the connection. */
        void ended(Ending ending);
    }

    private enum State { NEW, CONNECTING, UPGRADING, OPEN, CLOSING, CLOSED }

    private final SelectorLoop loop;
    private final URI url;
    private final Listener listener;
    private final Upgrade upgrade = new Upgrade();
    private final FrameReader frames = new FrameReader();
    private final Incoming incoming = new Incoming();
    private final WriteQueue out = new WriteQueue(MAX_PENDING_OUT);
    private State state = State.NEW;
    private long startedNanos;
    private SocketChannel channel;
    private SelectionKey key;
    private byte[] leftover = new byte[0];
    private int leftoverLength;

    public RawConnection(SelectorLoop loop, URI url, Listener listener) {
        this.loop = loop;
        this.url = url;
        this.listener = listener;
    }

    /** Starts connecting; on the loop's thread. */
    public void open() {
        startedNanos = System.nanoTime();
        state = State.CONNECTING;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(new InetSocketAddress(url.getHost(), Upgrade.port(url)))) {
                key = channel.register(loop.selector(), 0, this);
                connected();
            } else {
                key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            trouble(e);
        }
    }

    void ready(SelectionKey k) {
        try {
            if (!k.isValid()) {
                return;
            }
            if (k.isConnectable()) {
                channel.finishConnect();
                connected();
                return;
            }
            if (k.isWritable()) {
                flush();
            }
            if (k.isReadable()) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            trouble(e);
        }
    }

    /** Sends one text message; ignored unless open (a client may answer a frame that came after its close). */
    public void sendText(byte[] utf8) {
        if (state == State.OPEN) {
            write(WsFrames.clientFrame(WsFrames.TEXT, utf8));
        }
    }

    /** Starts the closing handshake; the server's answer ends the connection as {@link Kind#CLOSE_ANSWERED}. */
    public void sendClose(int code) {
        if (state == State.OPEN) {
            write(WsFrames.clientFrame(WsFrames.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}));
            if (state == State.OPEN) {
                state = State.CLOSING;
            }
        }
    }

    /** Not closed yet, and started more than {@code limitNanos} before {@code now}: the fleet's test for a stuck attempt. */
    public boolean liveLongerThan(long limitNanos, long now) {
        return state != State.NEW && state != State.CLOSED && now - startedNanos > limitNanos;
    }

    /** Closes the socket at once without telling the listener: the fleet's own doing, which it knows. */
    public void close() {
        state = State.CLOSED;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
    }

    private void connected() {
        state = State.UPGRADING;
        key.interestOps(SelectionKey.OP_READ);
        write(upgrade.request(url));
    }

    private void trouble(Exception e) {
        String reason = e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
        end(Ending.of(state == State.CONNECTING || state == State.UPGRADING ? Kind.NOT_UPGRADED : Kind.BROKEN, reason));
    }

    private void end(Ending ending) {
        if (state != State.CLOSED) {
            close();
            listener.ended(ending);
        }
    }

    private void write(byte[] bytes) {
        if (state == State.CLOSED) {
            return;
        }
        boolean backedUp = !out.isEmpty();
        if (!out.add(bytes)) {
            end(Ending.of(Kind.BROKEN, "the server does not read"));
        } else if (!backedUp) {
            try {
                flush();
            } catch (IOException e) {
                trouble(e);
            }
        }
    }

    /** Writes what the socket takes; asks the loop to say when it takes more, while anything is left. */
    private void flush() throws IOException {
        boolean empty = out.writeTo(channel);
        key.interestOps(empty ? key.interestOps() & ~SelectionKey.OP_WRITE : key.interestOps() | SelectionKey.OP_WRITE);
    }

    private boolean reading() {
        return state == State.UPGRADING || state == State.OPEN || state == State.CLOSING;
    }

    private void read() throws IOException {
        while (reading()) {
            ByteBuffer in = loop.readBuffer(leftoverLength);
            in.put(leftover, 0, leftoverLength);
            int n = channel.read(in);
            if (n < 0) {
                end(state == State.UPGRADING ? Ending.of(Kind.NOT_UPGRADED, "closed during handshake")
                        : Ending.of(Kind.DROPPED, "closed without a close frame"));
                return;
            }
            byte[] a = in.array();
            int length = in.position();
            int used = state == State.UPGRADING ? upgradeAnswer(a, length) : 0;
            if (state == State.OPEN || state == State.CLOSING) {
                used += frames.read(a, used, length - used, incoming);
            }
            if (!reading()) {
                return;
            }
            keep(a, used, length - used);
            if (n == 0 || in.hasRemaining()) {
                return; // the socket is drained for now
            }
        }
    }

    /** The shared read buffer is reused by the next connection: an incomplete frame is copied out. */
    private void keep(byte[] a, int off, int len) {
        if (leftover.length < len) {
            leftover = new byte[Math.max(len, leftover.length * 2)];
        }
        System.arraycopy(a, off, leftover, 0, len);
        leftoverLength = len;
    }

    /** Consumes the server's answer once it is complete; returns the bytes it used. */
    private int upgradeAnswer(byte[] a, int length) {
        int end = Upgrade.endOfHeaders(a, length);
        if (end < 0) {
            if (length > Upgrade.MAX_RESPONSE_BYTES) {
                end(Ending.of(Kind.NOT_UPGRADED, "handshake response too long"));
            }
            return 0;
        }
        String refusal = upgrade.refusal(a, end);
        if (refusal != null) {
            end(Ending.of(Kind.NOT_UPGRADED, refusal));
            return length;
        }
        state = State.OPEN;
        listener.upgraded();
        return end;
    }

    /** What the frame reader finds, acted on; a callback that ends the connection stops the reading. */
    private final class Incoming implements FrameReader.Frames {
        @Override
        public boolean reading() {
            return state == State.OPEN || state == State.CLOSING;
        }

        @Override
        public void message(boolean text, byte[] a, int off, int len) {
            if (text) {
                listener.text(a, off, len);
            } else {
                listener.binary();
            }
        }

        @Override
        public void ping(byte[] a, int off, int len) {
            write(WsFrames.clientFrame(WsFrames.PONG, Arrays.copyOfRange(a, off, off + len)));
        }

        @Override
        public void close(byte[] a, int off, int len) {
            if (state == State.CLOSING) {
                end(Ending.of(Kind.CLOSE_ANSWERED, "close answered"));
                return;
            }
            if (out.isEmpty()) { // the echo goes now or never: the socket closes right after
                try {
                    channel.write(ByteBuffer.wrap(WsFrames.clientFrame(WsFrames.CLOSE, Arrays.copyOfRange(a, off, off + Math.min(len, 2)))));
                } catch (IOException ignored) {
                    // the server may already be gone; its close is what counts
                }
            }
            int code = len >= 2 ? ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF) : NO_CLOSE_CODE;
            end(new Ending(Kind.CLOSED_BY_SERVER, "closed by the server", code));
        }

        @Override
        public void refused(String reason) {
            end(Ending.of(Kind.BROKEN, reason));
        }
    }
}
