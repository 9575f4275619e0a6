package io.stocktracker.ingest.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.MutableClock;
import io.stocktracker.ingest.budget.Backoff;
import io.stocktracker.ingest.budget.CircuitBreaker;
import io.stocktracker.ingest.budget.RateBudget;
import io.stocktracker.ingest.source.FetchResult;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderChainTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-10T15:00:00Z"));
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    private final List<Duration> sleeps = new ArrayList<>();

    private Provider provider(ScriptedSource source, RateBudget budget) {
        return new Provider(source, budget, new CircuitBreaker(3, Duration.ofSeconds(30)));
    }

    private ProviderChain chain(int maxAttempts, Provider... providers) {
        return new ProviderChain(List.of(providers), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), () -> 0.5),
                maxAttempts, Duration.ofSeconds(60), Duration.ofMinutes(10), clock, d -> {
                    sleeps.add(d);
                    clock.advance(d);
                }, metrics);
    }

    @Test
    void shortBudgetServesTheHighestPriorityAndDefersTheRest() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata");
        ProviderChain chain = chain(1, provider(td, new RateBudget(3, 800)));

        var outcome = chain.fetch(List.of("AAPL", "MSFT", "NVDA", "TSLA", "IBM"));

        assertThat(outcome.quotes()).extracting(RawQuote::symbol).containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(outcome.deferred()).containsExactly("TSLA", "IBM");
        assertThat(outcome.failed()).as("a short budget is not a failure").isEmpty();
    }

    @Test
    void overBudgetPrimaryHandsTheRestToTheNextProvider() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata");
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ProviderChain chain = chain(1, provider(td, new RateBudget(2, 800)), provider(sim, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("AAPL", "MSFT", "NVDA", "TSLA"));

        assertThat(outcome.quotes()).extracting(RawQuote::source).containsExactly("twelvedata", "twelvedata", "simulated", "simulated");
        assertThat(sim.symbolsAsked()).containsExactly("NVDA", "TSLA");
        assertThat(outcome.deferred()).isEmpty();
    }

    @Test
    void failuresFallThroughTheChainInOrder() {
        ScriptedSource a = ScriptedSource.healthy("twelvedata").failingWith(Reason.HTTP_ERROR);
        ScriptedSource b = ScriptedSource.healthy("alphavantage").failingWith(Reason.UNKNOWN_SYMBOL);
        ScriptedSource c = ScriptedSource.healthy("simulated");
        ProviderChain chain = chain(1, provider(a, RateBudget.unlimited()), provider(b, RateBudget.unlimited()),
                provider(c, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("AAPL"));

        assertThat(outcome.quotes()).extracting(RawQuote::source).containsExactly("simulated");
        assertThat(a.calls).hasSize(1);
        assertThat(b.calls).hasSize(1);
        assertThat(outcome.failed()).isEmpty();
    }

    @Test
    void symbolEveryProviderFailedIsReportedWithEachAttempt() {
        ScriptedSource a = ScriptedSource.healthy("twelvedata").failingWith(Reason.RATE_LIMITED);
        ScriptedSource b = ScriptedSource.healthy("alphavantage").failingWith(Reason.TIMEOUT);
        ProviderChain chain = chain(1, provider(a, RateBudget.unlimited()), provider(b, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("AAPL"));

        assertThat(outcome.quotes()).isEmpty();
        assertThat(outcome.failed().get("AAPL"))
                .extracting(at -> at.provider() + ":" + at.failure().reason())
                .containsExactly("twelvedata:RATE_LIMITED", "alphavantage:TIMEOUT");
        assertThat(metrics.counter("ingest.fetch.failures", "provider", "twelvedata", "reason", "RATE_LIMITED")).isEqualTo(1);
    }

    @Test
    void rateLimitedProviderIsNotAskedAgainUntilItsCooldownEnds() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").answering((s, call) -> call == 1
                ? FetchResult.failed(Reason.RATE_LIMITED, "429") : ScriptedSource.ok("twelvedata", s));
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ProviderChain chain = chain(2, provider(td, new RateBudget(8, 800)), provider(sim, RateBudget.unlimited()));

        chain.fetch(List.of("AAPL"));
        clock.advance(Duration.ofSeconds(2));
        var second = chain.fetch(List.of("AAPL"));

        assertThat(td.calls).as("a quota refusal is not retried, and not asked again within the cooldown").hasSize(1);
        assertThat(second.quotes()).extracting(RawQuote::source).containsExactly("simulated");
        clock.advance(Duration.ofSeconds(60));
        assertThat(chain.fetch(List.of("AAPL")).quotes()).extracting(RawQuote::source).containsExactly("twelvedata");
    }

    @Test
    void coolingDownAfterAQuotaRefusalIsAFailureNotADeferral() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").failingWith(Reason.RATE_LIMITED);
        ProviderChain chain = chain(1, provider(td, new RateBudget(8, 800)));

        chain.fetch(List.of("AAPL"));
        clock.advance(Duration.ofSeconds(2));
        var second = chain.fetch(List.of("AAPL"));

        assertThat(td.calls).hasSize(1);
        assertThat(second.deferred()).isEmpty();
        assertThat(second.failed().get("AAPL")).extracting(a -> a.failure().reason()).containsExactly(Reason.RATE_LIMITED);
    }

    @Test
    void breakerOpensAfterRepeatedFailuresAndHalfOpenTrialClosesIt() {
        boolean[] healthy = {false};
        ScriptedSource td = ScriptedSource.healthy("twelvedata").answering((s, call) -> healthy[0]
                ? ScriptedSource.ok("twelvedata", s) : FetchResult.failed(Reason.TIMEOUT, "slow"));
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        Provider primary = provider(td, RateBudget.unlimited());
        ProviderChain chain = chain(1, primary, provider(sim, RateBudget.unlimited()));

        for (int cycle = 0; cycle < 3; cycle++) {
            chain.fetch(List.of("AAPL"));
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(primary.breaker().state(clock.instant())).isEqualTo(CircuitBreaker.State.OPEN);

        var whileOpen = chain.fetch(List.of("AAPL"));
        assertThat(td.calls).as("an open breaker skips the provider").hasSize(3);
        assertThat(whileOpen.quotes()).extracting(RawQuote::source).containsExactly("simulated");

        clock.advance(Duration.ofSeconds(30));
        healthy[0] = true;
        var trial = chain.fetch(List.of("AAPL", "MSFT"));

        assertThat(td.calls).hasSize(4);
        assertThat(trial.quotes()).extracting(RawQuote::source).containsOnly("twelvedata");
        assertThat(primary.breaker().state(clock.instant())).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(metrics.counter("ingest.breaker.opened", "provider", "twelvedata")).isEqualTo(1);
    }

    @Test
    void failedHalfOpenTrialReopensAndAsksOnlyOnce() {
        ScriptedSource td = new ScriptedSource("twelvedata", 1).failingWith(Reason.HTTP_ERROR);
        Provider primary = provider(td, RateBudget.unlimited());
        ProviderChain chain = chain(1, primary);
        for (int i = 0; i < 3; i++) {
            chain.fetch(List.of("AAPL"));
        }
        clock.advance(Duration.ofSeconds(30));
        int before = td.calls.size();

        var outcome = chain.fetch(List.of("AAPL", "MSFT", "NVDA"));

        assertThat(td.calls.size() - before).as("one trial call even with three batches").isEqualTo(1);
        assertThat(primary.breaker().state(clock.instant())).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(outcome.failed()).containsKeys("AAPL", "MSFT", "NVDA");
        assertThat(outcome.failed().get("MSFT")).extracting(a -> a.failure().reason()).containsExactly(Reason.CIRCUIT_OPEN);
    }

    @Test
    void retryableFailuresAreRetriedAfterAJitteredBackoff() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").answering((s, call) -> call == 1
                ? FetchResult.failed(Reason.TIMEOUT, "slow") : ScriptedSource.ok("twelvedata", s));
        ProviderChain chain = chain(3, provider(td, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("AAPL"));

        assertThat(outcome.quotes()).hasSize(1);
        assertThat(outcome.failed()).isEmpty();
        assertThat(td.calls).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100)); // 0.5 x 200 ms ceiling
    }

    @Test
    void unknownSymbolIsNotRetriedButTriedOnTheNextProvider() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").failingWith(Reason.UNKNOWN_SYMBOL);
        ScriptedSource av = ScriptedSource.healthy("alphavantage").failingWith(Reason.UNKNOWN_SYMBOL);
        Provider primary = provider(td, RateBudget.unlimited());
        ProviderChain chain = chain(3, primary, provider(av, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("NOPE"));

        assertThat(td.calls).hasSize(1);
        assertThat(av.calls).hasSize(1);
        assertThat(sleeps).isEmpty();
        assertThat(outcome.failed().get("NOPE")).hasSize(2);
        assertThat(primary.breaker().state(clock.instant())).as("an unknown symbol says nothing about health")
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void symbolAProviderDoesNotKnowIsNotAskedOfItAgainForAWhile() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").answering((s, n) -> s.equals("NOPE")
                ? FetchResult.failed(Reason.UNKNOWN_SYMBOL, "not found") : ScriptedSource.ok("twelvedata", s));
        RateBudget budget = new RateBudget(8, 800);
        ProviderChain chain = chain(1, provider(td, budget));

        chain.fetch(List.of("AAPL", "NOPE"));
        clock.advance(Duration.ofMinutes(1));
        var again = chain.fetch(List.of("AAPL", "NOPE"));

        assertThat(td.calls).containsExactly(List.of("AAPL", "NOPE"), List.of("AAPL"));
        assertThat(again.failed().get("NOPE")).extracting(a -> a.failure().reason()).containsExactly(Reason.UNKNOWN_SYMBOL);
        clock.advance(Duration.ofMinutes(10));
        chain.fetch(List.of("NOPE"));
        assertThat(td.calls).last().isEqualTo(List.of("NOPE"));
    }

    @Test
    void batchesRespectTheProvidersMaximumAndEachSymbolCostsACredit() {
        ScriptedSource td = new ScriptedSource("twelvedata", 2);
        RateBudget budget = new RateBudget(8, 800);
        ProviderChain chain = chain(1, provider(td, budget));

        chain.fetch(List.of("A", "B", "C", "D", "E"));

        assertThat(td.calls).containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E"));
        assertThat(budget.available(clock.instant())).isEqualTo(3);
    }

    @Test
    void sourceThatThrowsIsTreatedAsMalformedAndTheChainGoesOn() {
        ScriptedSource broken = ScriptedSource.healthy("twelvedata").answering((s, n) -> {
            throw new IllegalStateException("bug");
        });
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ProviderChain chain = chain(1, provider(broken, RateBudget.unlimited()), provider(sim, RateBudget.unlimited()));

        var outcome = chain.fetch(List.of("AAPL"));

        assertThat(outcome.quotes()).extracting(RawQuote::source).containsExactly("simulated");
    }

    @Test
    void aLeaseRunningOutMidCycleStopsRequestsAndDefersTheRest() {
        ScriptedSource td = new ScriptedSource("twelvedata", 2);
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ProviderChain chain = chain(1, provider(td, RateBudget.unlimited()), provider(sim, RateBudget.unlimited()));
        int[] gateChecks = {0};

        var outcome = chain.fetch(List.of("A", "B", "C", "D", "E"), () -> ++gateChecks[0] <= 2);

        assertThat(td.calls).as("one batch, then the gate closed").containsExactly(List.of("A", "B"));
        assertThat(sim.calls).as("not even the fallback is asked").isEmpty();
        assertThat(outcome.deferred()).containsExactly("C", "D", "E");
        assertThat(outcome.failed()).isEmpty();
    }

    @Test
    void aPacedProviderServesOnlyWhatThePacerGrantsAndTheRestIsDeferredNotFailed() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata");
        var pacer = new io.stocktracker.ingest.budget.BudgetPacer(io.stocktracker.ingest.budget.TradingWindow.usRegularSession(), 800, 0, 8);
        ProviderChain chain = chain(1, provider(td, new RateBudget(8, 800, pacer)));

        var first = chain.fetch(List.of("AAPL", "MSFT", "NVDA")); // 10:00 in New York: in the session
        clock.advance(Duration.ofSeconds(2));
        var second = chain.fetch(List.of("MSFT", "NVDA", "AAPL"));

        assertThat(first.quotes()).extracting(RawQuote::symbol).containsExactly("AAPL");
        assertThat(first.deferred()).containsExactly("MSFT", "NVDA");
        assertThat(second.quotes()).as("~2 a minute: nothing 2 s later").isEmpty();
        assertThat(second.failed()).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(chain.fetch(List.of("MSFT", "NVDA", "AAPL")).quotes()).extracting(RawQuote::symbol).containsExactly("MSFT");
    }
}
