package io.stocktracker.edge.session;

/** A socket for unit tests that stays open and ignores pings and closes; each test scripts the part it watches. */
abstract class OpenTransport implements Transport {
    @Override
    public void ping() {
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public void disconnect() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
