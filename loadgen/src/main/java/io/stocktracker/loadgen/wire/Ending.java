package io.stocktracker.loadgen.wire;

/**
 * How a {@link RawConnection} ended, told once to its listener. What the fleet ends itself (a timeout, its own
 * shutdown) it already knows and is not told back.
 * @param reason    a short fixed phrase (an exception's simple name at most), fit to count runs by
 * @param closeCode the server's close code for {@link Kind#CLOSED_BY_SERVER} (1005 when its frame carried none), else 0
 */
public record Ending(Kind kind, String reason, int closeCode) {
    public enum Kind {
        /** Never upgraded: refused, reset, closed, or answered with anything but a matching 101. */
        NOT_UPGRADED,
        /** Upgraded, then an I/O error or a frame this client refuses (RFC 6455 broken, or over the size limits). */
        BROKEN,
        /** Upgraded, then the socket ended without a close frame. */
        DROPPED,
        /** The server closed first. */
        CLOSED_BY_SERVER,
        /** The server answered our own close frame. */
        CLOSE_ANSWERED
    }

    static Ending of(Kind kind, String reason) {
        return new Ending(kind, reason, 0);
    }
}
