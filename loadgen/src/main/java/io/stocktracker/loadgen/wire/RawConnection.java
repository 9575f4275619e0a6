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
 * {@link SelectorLoop} (and touched on its thread only): connect, upgrade, read frames, answer pings, send masked
 * frames, close. The server is not trusted: an answer that is not a matching 101, a frame or message over the
 * limits, a frame RFC 6455 forbids, all end this connection with a named reason ({@link Ending}); nothing is
 * thrown to the loop. Each attempt is a new instance; what a client does with its messages is its listener's.
 */
public final class RawConnection {
    /** Bigger frames and messages are refused: the edge's largest, a batch of MAX_PENDING_SYMBOLS quotes, is far below. */
    static final int MAX_MESSAGE = 16 * 1024 * 1024;
    /** This client only writes subscribes, pongs and a close: a server that lets this much pile up does not read. */
    private static final int MAX_PENDING_OUT = 1024 * 1024;
    /** RFC 6455 section 5.5. */
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int NO_CLOSE_CODE = 1005;

    /** What the client does with its connection; called on the loop's thread. */
    public interface Listener {
        /** The server accepted the upgrade: text may be sent. */
        void upgraded();

        /** One whole text message; {@code a} is only valid during the call. */
        void text(byte[] a, int off, int len);

        /** One whole binary message: PROTOCOL.md sends none, so only its arrival counts. */
        void binary();

        /** Once, when the server or the network ended the connection. */
        void ended(Ending ending);
    }

    private enum State { NEW, CONNECTING, UPGRADING, OPEN, CLOSING, CLOSED }

    private final SelectorLoop loop;
    private final URI url;
    private final Listener listener;
    private final Upgrade upgrade = new Upgrade();
    private final WsFrames.Header header = new WsFrames.Header();
    private State state = State.NEW;
    private long startedNanos;
    private SocketChannel channel;
    private SelectionKey key;
    private byte[] leftover = new byte[0];
    private int leftoverLength;
    private byte[] fragments;
    private int fragmentsLength;
    /** The opcode of the message being reassembled, or -1 between messages. */
    private int fragmentsOpcode = -1;
    private ByteBuffer pendingOut;

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
        try {
            if (pendingOut != null) {
                queue(bytes);
                return;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            channel.write(buf);
            if (buf.hasRemaining()) {
                pendingOut = buf;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            trouble(e);
        }
    }

    /** Appends behind what waits to be written; the buffer doubles, so a queue of pongs costs linear time, not square. */
    private void queue(byte[] bytes) {
        int waiting = pendingOut.remaining();
        if (waiting + (long) bytes.length > MAX_PENDING_OUT) {
            end(Ending.of(Kind.BROKEN, "the server does not read"));
            return;
        }
        if (pendingOut.capacity() - pendingOut.limit() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pendingOut.capacity() * 2, waiting + bytes.length));
            pendingOut = bigger.put(pendingOut).flip();
        }
        int readFrom = pendingOut.position();
        int end = pendingOut.limit();
        pendingOut.limit(end + bytes.length).position(end);
        pendingOut.put(bytes).position(readFrom);
    }

    private void flush() throws IOException {
        if (pendingOut != null) {
            channel.write(pendingOut);
            if (!pendingOut.hasRemaining()) {
                pendingOut = null;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            }
        }
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
                used += frames(a, used, length - used);
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

    /** Handles every complete frame in {@code a[off, off+len)}; returns the bytes consumed. */
    private int frames(byte[] a, int off, int len) {
        int p = off;
        int limit = off + len;
        while ((state == State.OPEN || state == State.CLOSING) && header.parse(a, p, limit - p)) {
            // judged on the header alone, so a hostile length is refused before its payload is waited for
            String wrong = refused();
            if (wrong != null) {
                end(Ending.of(Kind.BROKEN, wrong));
                return len;
            }
            long total = header.headerLength + header.payloadLength;
            if (total > limit - p) {
                break;
            }
            int payload = p + header.headerLength;
            int plen = (int) header.payloadLength;
            switch (header.opcode) {
                case WsFrames.TEXT, WsFrames.BINARY, WsFrames.CONTINUATION -> data(a, payload, plen);
                case WsFrames.PING -> write(WsFrames.clientFrame(WsFrames.PONG, Arrays.copyOfRange(a, payload, payload + plen)));
                case WsFrames.CLOSE -> closeFrame(a, payload, plen);
                default -> { } // pong
            }
            p += (int) total;
        }
        return p - off;
    }

    /** Why the frame whose header was just parsed breaks RFC 6455 or this client's limits; null when it does not. */
    private String refused() {
        int op = header.opcode;
        boolean control = op >= WsFrames.CLOSE;
        if (header.payloadLength < 0 || header.payloadLength > MAX_MESSAGE) {
            return "frame too long";
        }
        if (header.masked) {
            return "masked server frame"; // RFC 6455 section 5.1: a client must close on one
        }
        if (header.reserved != 0) {
            return "reserved bits set";
        }
        if (op != WsFrames.TEXT && op != WsFrames.BINARY && op != WsFrames.CONTINUATION
                && op != WsFrames.CLOSE && op != WsFrames.PING && op != WsFrames.PONG) {
            return "unknown opcode";
        }
        if (control) {
            return !header.fin || header.payloadLength > MAX_CONTROL_PAYLOAD ? "control frame fragmented or too long" : null;
        }
        if ((op == WsFrames.CONTINUATION) != (fragmentsOpcode >= 0)) {
            return op == WsFrames.CONTINUATION ? "continuation without a message" : "new message inside a fragmented one";
        }
        if (fragmentsLength + header.payloadLength > MAX_MESSAGE) {
            return "message too long";
        }
        return null;
    }

    private void data(byte[] a, int off, int len) {
        if (header.opcode != WsFrames.CONTINUATION && header.fin) {
            deliver(header.opcode, a, off, len);
            return;
        }
        if (header.opcode != WsFrames.CONTINUATION) {
            fragmentsOpcode = header.opcode;
        }
        if (fragments == null || fragments.length < fragmentsLength + len) {
            fragments = Arrays.copyOf(fragments == null ? new byte[0] : fragments, Math.max(fragmentsLength + len, 4096) * 2);
        }
        System.arraycopy(a, off, fragments, fragmentsLength, len);
        fragmentsLength += len;
        if (header.fin) {
            int opcode = fragmentsOpcode;
            int length = fragmentsLength;
            fragmentsOpcode = -1;
            fragmentsLength = 0;
            deliver(opcode, fragments, 0, length);
        }
    }

    private void deliver(int opcode, byte[] a, int off, int len) {
        if (opcode == WsFrames.TEXT) {
            listener.text(a, off, len);
        } else {
            listener.binary();
        }
    }

    private void closeFrame(byte[] a, int payload, int plen) {
        if (state == State.CLOSING) {
            end(Ending.of(Kind.CLOSE_ANSWERED, "close answered"));
            return;
        }
        int code = plen >= 2 ? ((a[payload] & 0xFF) << 8) | (a[payload + 1] & 0xFF) : NO_CLOSE_CODE;
        if (pendingOut == null) {
            try {
                channel.write(ByteBuffer.wrap(WsFrames.clientFrame(WsFrames.CLOSE,
                        plen >= 2 ? new byte[] {a[payload], a[payload + 1]} : new byte[0])));
            } catch (IOException ignored) {
                // the server may already be gone; its close is what counts
            }
        }
        end(new Ending(Kind.CLOSED_BY_SERVER, "closed by the server", code));
    }
}
