package io.stocktracker.ingest.schedule;

import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.budget.Backoff;
import io.stocktracker.ingest.budget.CircuitBreaker;
import io.stocktracker.ingest.source.FetchResult;
import io.stocktracker.ingest.source.SourceFailure;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a prioritized list of symbols from the providers in order. Each provider takes as many of the
 * still-unserved symbols as its budget allows (highest priority first) unless its breaker is open;
 * whatever it cannot deliver falls to the next provider. Retryable failures (timeouts, 5xx) are retried
 * with jittered backoff while budget and breaker allow; a quota refusal stops the provider's spending for
 * {@code rateLimitCooldown}. A symbol no provider delivered is "failed" if some provider failed it, was
 * skipped for an open breaker or is cooling down after refusing for quota; it is "deferred" if the only
 * obstacle was our own budget accounting: deferral is the normal state of a short budget (the planner
 * rotates through the symbols) and is not reported to clients.
 */
public final class ProviderChain {
    private static final Logger log = LoggerFactory.getLogger(ProviderChain.class);

    /** How a provider failed a symbol. */
    public record Attempt(String provider, SourceFailure failure) {
    }

    /** One cycle's outcome. */
    /** @param marketClosed symbols whose provider said their market is closed now */
    public record Outcome(List<RawQuote> quotes, Map<String, List<Attempt>> failed, List<String> deferred,
                          Set<String> marketClosed) {
    }

    /** Sleeps between retries; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final List<Provider> providers;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration rateLimitCooldown;
    private final Duration unknownSymbolTtl;
    /** provider -> symbol -> until when it is known not to have it (asking again only burns credits). */
    private final Map<String, Map<String, java.time.Instant>> unknown = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;
    private final Sleeper sleeper;
    private final IngestMetrics metrics;
    /** The current cycle's gate; cycles run on one thread. */
    private volatile BooleanSupplier mayCall = () -> true;

    public ProviderChain(List<Provider> providers, Backoff backoff, int maxAttempts, Duration rateLimitCooldown,
                         Duration unknownSymbolTtl, Clock clock, Sleeper sleeper, IngestMetrics metrics) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("the provider chain needs at least one source");
        }
        this.providers = List.copyOf(providers);
        this.backoff = backoff;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.rateLimitCooldown = rateLimitCooldown;
        this.unknownSymbolTtl = unknownSymbolTtl;
        this.clock = clock;
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    public List<Provider> providers() {
        return providers;
    }

    public Outcome fetch(List<String> prioritized) {
        return fetch(prioritized, () -> true);
    }

    /**
     * @param mayCall asked before every provider request: once false (a leader whose lease is running
     *                out), nothing more is requested and what is left is deferred
     */
    public Outcome fetch(List<String> prioritized, BooleanSupplier mayCall) {
        this.mayCall = mayCall;
        Set<String> remaining = new LinkedHashSet<>(prioritized);
        Map<String, List<Attempt>> failures = new HashMap<>();
        List<RawQuote> quotes = new ArrayList<>();
        Set<String> marketClosed = new java.util.HashSet<>();
        for (Provider provider : providers) {
            if (remaining.isEmpty() || !mayCall.getAsBoolean()) {
                break;
            }
            serve(provider, remaining, failures, quotes, marketClosed);
        }
        Map<String, List<Attempt>> failed = new LinkedHashMap<>();
        List<String> deferred = new ArrayList<>();
        for (String symbol : remaining) {
            List<Attempt> attempts = failures.get(symbol);
            if (attempts == null) {
                deferred.add(symbol);
            } else {
                failed.put(symbol, attempts);
            }
        }
        return new Outcome(quotes, failed, deferred, marketClosed);
    }

    private void serve(Provider provider, Set<String> remaining, Map<String, List<Attempt>> failures, List<RawQuote> quotes,
                       Set<String> marketClosed) {
        String name = provider.name();
        if (!provider.breaker().allowRequest(clock.instant())) {
            SourceFailure open = SourceFailure.of(Reason.CIRCUIT_OPEN, name + " circuit breaker is open");
            remaining.forEach(s -> failures.computeIfAbsent(s, k -> new ArrayList<>()).add(new Attempt(name, open)));
            return;
        }
        if (provider.budget().coolingDown(clock.instant())) {
            // the provider refused for quota lately: for clients that is a failure, not a planned deferral
            SourceFailure refused = SourceFailure.of(Reason.RATE_LIMITED, name + " refused for quota; cooling down");
            remaining.forEach(s -> failures.computeIfAbsent(s, k -> new ArrayList<>()).add(new Attempt(name, refused)));
            return;
        }
        Map<String, java.time.Instant> notHere = unknown.computeIfAbsent(name, k -> new java.util.concurrent.ConcurrentHashMap<>());
        notHere.values().removeIf(until -> !until.isAfter(clock.instant()));
        SourceFailure knownUnknown = SourceFailure.of(Reason.UNKNOWN_SYMBOL, name + " recently said it does not know this symbol");
        remaining.stream().filter(notHere::containsKey)
                .forEach(s -> failures.computeIfAbsent(s, k -> new ArrayList<>()).add(new Attempt(name, knownUnknown)));
        int capacity = provider.budget().available(clock.instant());
        List<String> share = remaining.stream().filter(s -> !notHere.containsKey(s)).limit(capacity).toList();
        int batchSize = Math.max(1, provider.source().maxBatchSize());
        boolean first = true;
        for (int from = 0; from < share.size(); from += batchSize) {
            List<String> batch = share.subList(from, Math.min(share.size(), from + batchSize));
            // the first batch used the allowRequest above (a half-open breaker grants exactly one call)
            if (!first && !provider.breaker().allowRequest(clock.instant())) {
                SourceFailure open = SourceFailure.of(Reason.CIRCUIT_OPEN, name + " circuit breaker opened during the cycle");
                share.subList(from, share.size()).forEach(s -> failures.computeIfAbsent(s, k -> new ArrayList<>()).add(new Attempt(name, open)));
                return;
            }
            first = false;
            Next next = callWithRetries(provider, batch, remaining, failures, quotes, marketClosed);
            if (next != Next.CONTINUE) {
                // done for this cycle: say why for the symbols it never got to (a spent budget defers them)
                Reason why = switch (next) {
                    case RATE_LIMITED -> Reason.RATE_LIMITED;
                    case UNHEALTHY -> provider.breaker().state(clock.instant()) == CircuitBreaker.State.CLOSED
                            ? Reason.HTTP_ERROR : Reason.CIRCUIT_OPEN;
                    default -> null;
                };
                if (why != null) {
                    SourceFailure failure = SourceFailure.of(why, name + " gave up earlier in this cycle");
                    share.subList(Math.min(share.size(), from + batchSize), share.size())
                            .forEach(s -> failures.computeIfAbsent(s, k -> new ArrayList<>()).add(new Attempt(name, failure)));
                }
                return;
            }
        }
    }

    /** What a provider may do after a call. */
    private enum Next {
        CONTINUE, NO_BUDGET, RATE_LIMITED, UNHEALTHY
    }

    private Next callWithRetries(Provider provider, List<String> batch, Set<String> remaining,
                                 Map<String, List<Attempt>> failures, List<RawQuote> quotes, Set<String> marketClosed) {
        String name = provider.name();
        List<String> pending = batch;
        for (int attempt = 1; ; attempt++) {
            if (!mayCall.getAsBoolean() || !provider.budget().tryAcquire(pending.size(), clock.instant())) {
                return Next.NO_BUDGET;
            }
            metrics.requested(name);
            Map<String, FetchResult> results = safeFetch(provider, pending);
            List<String> retry = new ArrayList<>();
            boolean delivered = false;
            boolean unhealthy = false;
            boolean rateLimited = false;
            for (String symbol : pending) {
                FetchResult result = results.get(symbol);
                if (result == null) {
                    result = FetchResult.failed(Reason.MALFORMED, name + " gave no answer for " + symbol);
                }
                if (result instanceof FetchResult.Fetched f && f.quote() != null) {
                    quotes.add(f.quote());
                    if (Boolean.FALSE.equals(f.marketOpen())) {
                        marketClosed.add(symbol);
                    }
                    remaining.remove(symbol);
                    failures.remove(symbol);
                    metrics.fetched(name, 1);
                    delivered = true;
                } else if (result instanceof FetchResult.Failed f) {
                    Reason reason = f.failure().reason();
                    metrics.failed(name, reason);
                    failures.computeIfAbsent(symbol, k -> new ArrayList<>()).add(new Attempt(name, f.failure()));
                    unhealthy |= reason.unhealthy();
                    if (reason == Reason.UNKNOWN_SYMBOL && !unknownSymbolTtl.isZero() && !unknownSymbolTtl.isNegative()) {
                        unknown.computeIfAbsent(name, k -> new java.util.concurrent.ConcurrentHashMap<>())
                                .put(symbol, clock.instant().plus(unknownSymbolTtl));
                    }
                    rateLimited |= reason == Reason.RATE_LIMITED;
                    if (reason.retryable()) {
                        retry.add(symbol);
                    }
                }
            }
            // a provider is unwell when nothing came back and something failed for its own reasons
            if (!delivered && unhealthy) {
                boolean wasOpen = provider.breaker().state(clock.instant()) != CircuitBreaker.State.CLOSED;
                provider.breaker().recordFailure(clock.instant());
                if (!wasOpen && provider.breaker().state(clock.instant()) == CircuitBreaker.State.OPEN) {
                    metrics.breakerOpened(name);
                    log.warn("{} circuit breaker opened after repeated failures; falling back to the next source", name);
                }
            } else {
                provider.breaker().recordSuccess();
            }
            if (rateLimited) {
                provider.budget().exhaustUntil(clock.instant().plus(rateLimitCooldown));
                return Next.RATE_LIMITED;
            }
            boolean usable = delivered || !unhealthy;
            if (retry.isEmpty() || attempt >= maxAttempts || !provider.breaker().allowRequest(clock.instant())) {
                return usable ? Next.CONTINUE : Next.UNHEALTHY;
            }
            try {
                sleeper.sleep(backoff.delay(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Next.UNHEALTHY;
            }
            metrics.retried(name);
            pending = retry;
        }
    }

    private Map<String, FetchResult> safeFetch(Provider provider, List<String> symbols) {
        try {
            return provider.source().fetch(symbols);
        } catch (RuntimeException e) {
            // a source bug must not stop the chain: treat it as a malformed answer
            log.error("{} threw while fetching {}", provider.name(), symbols, e);
            Map<String, FetchResult> failed = new HashMap<>();
            symbols.forEach(s -> failed.put(s, FetchResult.failed(Reason.MALFORMED, e.toString())));
            return failed;
        }
    }
}
