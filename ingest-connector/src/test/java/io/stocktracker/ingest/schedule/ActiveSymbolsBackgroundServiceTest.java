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
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.ControlMessage.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActiveSymbolsBackgroundServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-10T15:00:00Z"));
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    private final List<RawQuote> produced = new ArrayList<>();
    private final Map<String, List<ProviderChain.Attempt>> failures = new LinkedHashMap<>();

    private ActiveSymbolsBackgroundService service(ActiveSymbols active, Provider... providers) {
        ProviderChain chain = new ProviderChain(List.of(providers), new Backoff(Duration.ZERO, Duration.ZERO, () -> 0),
                1, Duration.ofSeconds(60), Duration.ofMinutes(10), clock, d -> { }, metrics);
        return new ActiveSymbolsBackgroundService(active, new FetchPlanner(), chain, produced::add, failures::put, metrics, clock,
                Duration.ofMinutes(5));
    }

    private static Provider provider(ScriptedSource source, RateBudget budget) {
        return new Provider(source, budget, new CircuitBreaker(3, Duration.ofSeconds(30)));
    }

    @Test
    void shortBudgetRotatesThroughEverySymbolStalestFirst() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata");
        ActiveSymbols active = new ActiveSymbols(List.of("A", "B", "C", "D", "E"), Duration.ofSeconds(5), s -> true);
        ActiveSymbolsBackgroundService service = service(active, provider(td, new RateBudget(2, 0)));

        for (int cycle = 0; cycle < 3; cycle++) {
            service.runCycle();
            clock.advance(Duration.ofSeconds(61)); // a fresh minute of budget each cycle
        }

        assertThat(td.calls).containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E", "A"));
        assertThat(metrics.counter("ingest.symbols.deferred")).isEqualTo(3 * 3);
    }

    @Test
    void mostSubscribedSymbolGetsTheOnlyCredit() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata");
        ActiveSymbols active = new ActiveSymbols(List.of("AAPL"), Duration.ofSeconds(5), s -> true);
        active.apply(ActiveSymbolsTest.change(io.stocktracker.schemas.redis.SubscriptionChange.Action.subscribe, "e1", "TSLA"), clock.instant());
        active.apply(ActiveSymbolsTest.change(io.stocktracker.schemas.redis.SubscriptionChange.Action.subscribe, "e2", "TSLA"), clock.instant());
        ActiveSymbolsBackgroundService service = service(active, provider(td, new RateBudget(1, 0)));

        service.runCycle();

        assertThat(produced).extracting(RawQuote::symbol).containsExactly("TSLA");
    }

    @Test
    void pausedServiceFetchesNothingUntilResumed() {
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ActiveSymbolsBackgroundService service = service(new ActiveSymbols(List.of("AAPL"), Duration.ofSeconds(5), s -> true),
                provider(sim, RateBudget.unlimited()));

        service.onControl(ControlMessage.of(Command.pause, "*"));
        assertThat(service.runCycle()).isNull();
        assertThat(sim.calls).isEmpty();
        assertThat(service.paused()).isTrue();

        service.onControl(ControlMessage.of(Command.resume, "ingest"));
        service.runCycle();

        assertThat(sim.calls).hasSize(1);
        assertThat(produced).hasSize(1);
    }

    @Test
    void controlAimedAtAnotherTargetIsIgnored() {
        ActiveSymbolsBackgroundService service = service(new ActiveSymbols(List.of("AAPL"), Duration.ofSeconds(5), s -> true),
                provider(ScriptedSource.healthy("simulated"), RateBudget.unlimited()));

        service.onControl(ControlMessage.of(Command.pause, "edge-7"));
        service.onControl(ControlMessage.of(Command.drain, "*"));

        assertThat(service.paused()).isFalse();
    }

    @Test
    void symbolEverySourceFailedGoesToTheFailureSinkAndIsNotProduced() {
        ScriptedSource td = ScriptedSource.healthy("twelvedata").failingWith(Reason.RATE_LIMITED);
        ActiveSymbolsBackgroundService service = service(new ActiveSymbols(List.of("AAPL"), Duration.ofSeconds(5), s -> true),
                provider(td, RateBudget.unlimited()));

        service.runCycle();

        assertThat(produced).isEmpty();
        assertThat(failures).containsOnlyKeys("AAPL");
        assertThat(service.lastFetched()).isEmpty();
    }

    @Test
    void symbolWhoseMarketIsClosedIsRefetchedOnlyEveryClosedMarketInterval() {
        boolean[] open = {false};
        ScriptedSource td = ScriptedSource.healthy("twelvedata").answering((s, n) -> s.equals("RELIANCE.NS")
                ? FetchResult.of(((FetchResult.Fetched) ScriptedSource.ok("twelvedata", s)).quote(), open[0])
                : ScriptedSource.ok("twelvedata", s));
        ActiveSymbolsBackgroundService service = service(new ActiveSymbols(List.of("AAPL", "RELIANCE.NS"), Duration.ofSeconds(5), s -> true),
                provider(td, RateBudget.unlimited()));

        service.runCycle();
        clock.advance(Duration.ofSeconds(2));
        service.runCycle();
        assertThat(td.calls).containsExactly(List.of("AAPL", "RELIANCE.NS"), List.of("AAPL"));

        clock.advance(Duration.ofMinutes(5));
        open[0] = true;
        service.runCycle();
        clock.advance(Duration.ofSeconds(2));
        service.runCycle();
        assertThat(td.calls.subList(2, 4)).as("open again: every cycle")
                .allSatisfy(call -> assertThat(call).contains("RELIANCE.NS"));
    }

    @Test
    void unsubscribedSymbolIsNoLongerFetched() {
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ActiveSymbols active = new ActiveSymbols(List.of(), Duration.ofSeconds(5), s -> true);
        var subscribe = io.stocktracker.schemas.redis.SubscriptionChange.Action.subscribe;
        var unsubscribe = io.stocktracker.schemas.redis.SubscriptionChange.Action.unsubscribe;
        ActiveSymbolsBackgroundService service = service(active, provider(sim, RateBudget.unlimited()));

        active.apply(ActiveSymbolsTest.change(subscribe, "e1", "AMD"), clock.instant());
        service.runCycle();
        active.apply(ActiveSymbolsTest.change(unsubscribe, "e1", "AMD"), clock.instant());
        service.runCycle();

        assertThat(sim.calls).containsExactly(List.of("AMD"));
        assertThat(service.lastFetched()).isEmpty();
    }

    @Test
    void aStandbyFetchesNothingUntilItLeads() {
        ScriptedSource sim = ScriptedSource.healthy("simulated");
        ActiveSymbolsBackgroundService service = service(new ActiveSymbols(List.of("AAPL"), Duration.ofSeconds(5), s -> true),
                provider(sim, RateBudget.unlimited()));
        boolean[] leading = {false};
        service.leadWhile(() -> leading[0]);

        assertThat(service.runCycle()).isNull();
        assertThat(sim.calls).isEmpty();

        leading[0] = true;
        service.runCycle();

        assertThat(sim.calls).containsExactly(List.of("AAPL"));
    }
}
