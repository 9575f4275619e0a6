package io.stocktracker.kit.redis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Redis replies (RESP) as they pass and fails the stream before a reply larger than the bound reaches the
 * client library: Jedis allocates a bulk string's whole length as soon as it reads its header, so a hostile or
 * broken server announcing {@code $536870912} would cost the process 512 MB (and {@code $2147483647} an
 * OutOfMemoryError). Bounded too: aggregate counts (Jedis sizes its list by them) and line lengths.
 */
final class ReplySizeGuard extends FilterInputStream {
    private enum State { TYPE, LENGTH, COUNT, LINE, PAYLOAD }

    private final long max;
    private State state = State.TYPE;
    private long number;
    private boolean negative;
    private long remaining;
    /** Found in a read that also carried good replies: those are handed over, the failure comes with the next read. */
    private IOException refused;

    ReplySizeGuard(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        if (refused != null) {
            throw refused;
        }
        int b = in.read();
        if (b >= 0) {
            scan((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (refused != null) {
            throw refused;
        }
        int n = in.read(buffer, offset, length);
        int i = offset;
        int end = offset + Math.max(n, 0);
        while (i < end) {
            if (state == State.PAYLOAD) {
                int skip = (int) Math.min(remaining, end - i);
                remaining -= skip;
                i += skip;
                if (remaining == 0) {
                    state = State.TYPE;
                }
            } else {
                try {
                    scan(buffer[i]);
                } catch (IOException e) {
                    if (i == offset) {
                        throw e;
                    }
                    refused = e;
                    return i - offset;
                }
                i++;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would hide replies from the size guard");
    }

    private void scan(byte b) throws IOException {
        switch (state) {
            case TYPE -> {
                number = 0;
                negative = false;
                state = switch (b) {
                    case '$', '=', '!' -> State.LENGTH; // bulk, verbatim and blob-error strings: a length, then the bytes
                    case '*', '%', '~', '>', '|' -> State.COUNT; // aggregates: a count, then that many replies
                    default -> State.LINE; // simple strings, errors, integers...: one line
                };
            }
            case LENGTH, COUNT -> {
                if (b == '-') {
                    negative = true;
                } else if (b >= '0' && b <= '9') {
                    number = number * 10 + (b - '0');
                    if (number > max) {
                        throw new IOException("Redis announced a reply of over " + max + " (bytes or elements): refused");
                    }
                } else if (b == '\n') {
                    if (state == State.LENGTH && !negative) {
                        remaining = number + 2; // the bytes and their CRLF
                        state = State.PAYLOAD;
                    } else {
                        state = State.TYPE;
                    }
                }
            }
            case LINE -> {
                if (b == '\n') {
                    state = State.TYPE;
                } else if (++number > max) {
                    throw new IOException("Redis sent a reply line of over " + max + " bytes: refused");
                }
            }
            case PAYLOAD -> {
                if (--remaining == 0) {
                    state = State.TYPE;
                }
            }
        }
    }
}
