package io.stocktracker.loadgen.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What a connection's socket has not taken yet, in order, up to a bound. Appends fill a doubling buffer, so a long
 * queue of small frames (a server that pings and never reads) costs linear time, not a copy of the queue per frame.
 */
final class WriteQueue {
    private final int max;
    /** In read mode: position is the next byte to write, limit the end of what is queued; null when empty. */
    private ByteBuffer pending;

    WriteQueue(int max) {
        this.max = max;
    }

    boolean isEmpty() {
        return pending == null;
    }

    /** Queues {@code bytes}; false (and nothing queued) when that would pass the bound. */
    boolean add(byte[] bytes) {
        if (pending == null) {
            pending = ByteBuffer.wrap(bytes);
            return true;
        }
        int waiting = pending.remaining();
        if (waiting + (long) bytes.length > max) {
            return false;
        }
        if (pending.capacity() - pending.limit() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, waiting + bytes.length));
            pending = bigger.put(pending).flip();
        }
        int readFrom = pending.position();
        int end = pending.limit();
        pending.limit(end + bytes.length).position(end);
        pending.put(bytes).position(readFrom);
        return true;
    }

    /** Writes what the socket takes now; true when nothing is left. */
    boolean writeTo(SocketChannel channel) throws IOException {
        if (pending != null) {
            channel.write(pending);
            if (!pending.hasRemaining()) {
                pending = null;
            }
        }
        return pending == null;
    }
}
