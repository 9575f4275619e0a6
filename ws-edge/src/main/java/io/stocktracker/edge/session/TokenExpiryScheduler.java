package io.stocktracker.edge.session;

import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.security.TokenLifetime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The connection's token timers: {@code token_expiring} the refresh window before {@code exp}, the UNAUTHORIZED
 * close at {@code exp}. Two one-shot tasks per connection on the connection manager's one shared scheduler (a
 * delay queue: 10k connections cost 20k queue entries, not threads), cancelled on refresh and on close. Each
 * task carries the principal it was planned for and does nothing once the session holds another one.
 */
final class TokenExpiryScheduler {
    private final ScheduledExecutorService scheduler;
    private final Duration refreshWindow;
    private final BiConsumer<ClientSession, Instant> onExpiring;
    private final BiConsumer<ClientSession, Principal> onExpired;

    TokenExpiryScheduler(ScheduledExecutorService scheduler, Duration refreshWindow,
                         BiConsumer<ClientSession, Instant> onExpiring, BiConsumer<ClientSession, Principal> onExpired) {
        this.scheduler = scheduler;
        this.refreshWindow = refreshWindow;
        this.onExpiring = onExpiring;
        this.onExpired = onExpired;
    }

    /** Plans the timers for the session's current principal, replacing any earlier ones. Call under {@code tokenLock}. */
    void schedule(ClientSession session) {
        cancel(session);
        Principal planned = session.principal();
        TokenLifetime.Plan plan = TokenLifetime.plan(planned.expiresAt(), Instant.now(), refreshWindow);
        if (plan == null) {
            return;
        }
        if (plan.noticeDelay() != null) {
            session.tokenNotice = scheduler.schedule(() -> {
                synchronized (session.tokenLock) {
                    if (session.principal() == planned && !session.isClosing()) {
                        onExpiring.accept(session, plan.expiresAt());
                    }
                }
            }, plan.noticeDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
        session.tokenExpiry = scheduler.schedule(() -> {
            synchronized (session.tokenLock) {
                if (session.principal() == planned && !session.isClosing()) {
                    onExpired.accept(session, planned);
                }
            }
        }, plan.expiryDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Call under {@code tokenLock}. */
    void cancel(ClientSession session) {
        if (session.tokenNotice != null) {
            session.tokenNotice.cancel(false);
            session.tokenNotice = null;
        }
        if (session.tokenExpiry != null) {
            session.tokenExpiry.cancel(false);
            session.tokenExpiry = null;
        }
    }
}
