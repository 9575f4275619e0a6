package io.stocktracker.kit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplySizeGuardTest {
    private static final int MAX = 16;

    /** A stream that hands out at most {@code chunk} bytes per read, as a socket may. */
    private static InputStream chunked(String replies, int chunk) {
        return new ByteArrayInputStream(replies.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static String drain(InputStream in, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[bufferSize];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void repliesWithinTheBoundPassUnchangedHoweverTheyAreSplit() throws IOException {
        // a bulk whose payload looks like headers must be skipped as payload, not read as a reply
        String replies = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$16\r\n$99999\r\n*99999\r\n\r\n:1\r\n+OK\r\n$-1\r\n*-1\r\n-ERR x\r\n";
        for (int chunk = 1; chunk <= replies.length(); chunk++) {
            assertThat(drain(new ReplySizeGuard(chunked(replies, chunk), MAX), 7)).isEqualTo(replies);
        }
        ReplySizeGuard singleBytes = new ReplySizeGuard(chunked(replies, 100), MAX);
        StringBuilder read = new StringBuilder();
        int b;
        while ((b = singleBytes.read()) >= 0) {
            read.append((char) b);
        }
        assertThat(read.toString()).isEqualTo(replies);
    }

    @Test
    void aBulkAnAggregateOrALineOverTheBoundIsRefused() {
        for (String hostile : new String[] {"$17\r\n", "*2147483647\r\n", "%17\r\n", "+" + "x".repeat(17) + "\r\n", "$99999999999999999999\r\n"}) {
            assertThatThrownBy(() -> drain(new ReplySizeGuard(chunked(hostile, 3), MAX), 64)).as(hostile).isInstanceOf(IOException.class);
        }
    }

    @Test
    void goodRepliesBeforeAHostileOneInTheSameReadAreHandedOverFirst() throws IOException {
        ReplySizeGuard guard = new ReplySizeGuard(chunked(":1\r\n$2\r\nok\r\n$999\r\n", 100), MAX);
        byte[] buffer = new byte[100];
        int n = guard.read(buffer, 0, buffer.length);
        assertThat(new String(buffer, 0, n, StandardCharsets.UTF_8)).startsWith(":1\r\n$2\r\nok\r\n$");
        assertThatThrownBy(() -> guard.read(buffer, 0, buffer.length)).isInstanceOf(IOException.class);
    }
}
