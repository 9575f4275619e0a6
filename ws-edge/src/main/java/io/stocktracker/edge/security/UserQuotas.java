package io.stocktracker.edge.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits per user (the token's {@code sub}) on this edge: how many connections it may hold, and one message
 * {@link RateLimiter} bucket shared by all of them, so opening more tabs does not multiply a user's rate.
 * A user's entry lives while it holds a connection; {@link #release} must follow every successful
 * {@link #tryAcquireConnection}. Connections without a subject (AUTH_MODE=none) are not counted here.
 */
public final class UserQuotas {
    private final int maxConnectionsPerUser;
    private final double messageRatePerSecond;
    private final int messageBurst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();

    private static final class User {
        int connections;
        final RateLimiter messages;

        User(RateLimiter messages) {
            this.messages = messages;
        }
    }

    public UserQuotas(int maxConnectionsPerUser, double messageRatePerSecond, int messageBurst, LongSupplier nanoClock) {
        this.maxConnectionsPerUser = maxConnectionsPerUser;
        this.messageRatePerSecond = messageRatePerSecond;
        this.messageBurst = messageBurst;
        this.nanoClock = nanoClock;
    }

    /** False when this user already holds the maximum; a null subject is never limited. */
    public boolean tryAcquireConnection(String subject) {
        if (subject == null) {
            return true;
        }
        boolean[] ok = {false};
        users.compute(subject, (k, u) -> {
            User user = u != null ? u : new User(new RateLimiter(messageRatePerSecond, messageBurst, nanoClock.getAsLong()));
            if (user.connections < maxConnectionsPerUser) {
                user.connections++;
                ok[0] = true;
            }
            return user.connections == 0 ? null : user;
        });
        return ok[0];
    }

    public void release(String subject) {
        if (subject == null) {
            return;
        }
        users.computeIfPresent(subject, (k, u) -> --u.connections <= 0 ? null : u);
    }

    /** Takes one token from the user's shared bucket; true for a null subject or a user that holds no connection. */
    public boolean tryAcquireMessage(String subject, long nowNanos) {
        if (subject == null) {
            return true;
        }
        User user = users.get(subject);
        if (user == null) {
            return true;
        }
        // the bucket is shared by the user's connections, whose frames arrive on different Jetty threads
        synchronized (user) {
            return user.messages.tryAcquire(nowNanos);
        }
    }

    public int connections(String subject) {
        User u = users.get(subject);
        return u == null ? 0 : u.connections;
    }

    public int users() {
        return users.size();
    }

    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }
}
