package io.stocktracker.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ephemeral ports picked up front so suites never collide. */
public final class FreePorts {
    public static int next() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FreePorts() {}
}
