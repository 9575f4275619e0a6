package io.stocktracker.launcher.chaos;

import io.stocktracker.loadgen.resume.PhaseFigures;
import io.stocktracker.loadgen.resume.ResumingFleet;
import io.stocktracker.schemas.redis.ControlMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Faults one after another on a {@link FaultStack} under a {@link ResumingFleet}'s load. Each phase: the fault, the
 * part restored after {@code outage}, then recovery (every client subscribed again and holding each symbol's
 * current seq, or {@code recoveryTimeout}), then the phase's figures as the clients counted them.
 */
final class ChaosRun {
    private final FaultStack stack;
    private final ProviderStub provider;
    private final ResumingFleet fleet;
    private final List<String> symbols;
    private final Duration outage;
    private final Duration recoveryTimeout;
    private final PrintStream out;

    ChaosRun(FaultStack stack, ProviderStub provider, ResumingFleet fleet, List<String> symbols, Duration outage,
             Duration recoveryTimeout, PrintStream out) {
        this.stack = stack;
        this.provider = provider;
        this.fleet = fleet;
        this.symbols = List.copyOf(symbols);
        this.outage = outage;
        this.recoveryTimeout = recoveryTimeout;
        this.out = out;
    }

    PhaseFigures run(Fault fault) throws InterruptedException {
        fleet.startPhase();
        Map<String, Long> before = seqsNow();
        switch (fault) {
            case EDGE_SIGKILL -> {
                int e = busiestEdge();
                stack.killEdge(e);
                Thread.sleep(outage.toMillis());
                stack.restartEdge(e);
            }
            case REDIS_RESTART -> {
                stack.stopRedis();
                Thread.sleep(outage.toMillis());
                stack.startRedis();
            }
            case BROKER_RESTART -> {
                stack.stopKafka();
                Thread.sleep(outage.toMillis());
                stack.startKafka();
            }
            case STREAMS_SIGKILL -> {
                stack.killStreams();
                Thread.sleep(outage.toMillis());
                stack.restartStreams();
            }
            case PROVIDER_CUT -> {
                // long enough for the breaker to open and the next source of the chain to take the symbols
                provider.cut(true);
                Thread.sleep(Math.max(outage.toMillis(), 15_000));
                provider.cut(false);
            }
            case PAUSE_RESUME -> {
                stack.control(ControlMessage.Command.pause, null);
                Thread.sleep(outage.toMillis());
                stack.control(ControlMessage.Command.resume, null);
            }
            case DRAIN_EDGE -> {
                String id = stack.edgeId(busiestEdge());
                stack.control(ControlMessage.Command.drain, id);
                Thread.sleep(outage.toMillis());
                stack.control(ControlMessage.Command.resume, id); // accepting again
            }
        }
        Map<String, Long> current = awaitRecovery(before);
        return fleet.endPhase(fault.label, current);
    }

    /** Warm-up: the same recovery wait, so the first fault starts from every client current. */
    PhaseFigures baseline(Duration length) throws InterruptedException {
        fleet.startPhase();
        Map<String, Long> before = seqsNow();
        Thread.sleep(length.toMillis());
        return fleet.endPhase("baseline (no fault)", awaitRecovery(before));
    }

    private Map<String, Long> seqsNow() {
        try {
            return stack.currentSeqs(symbols);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Waits until quotes flow again (every symbol's seq past {@code before}, its seq when the fault began: with the
     * feed stopped, "every client holds the current seq" would hold trivially) and every client is subscribed and
     * holds, 2 s after it was read, each symbol's current seq; returns the last seqs read (the lost check of the phase
     * is made against them).
     */
    private Map<String, Long> awaitRecovery(Map<String, Long> before) throws InterruptedException {
        long deadline = System.nanoTime() + recoveryTimeout.toNanos();
        fleet.awaitAllSubscribed(recoveryTimeout);
        Map<String, Long> current = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                current = stack.currentSeqs(symbols);
            } catch (RuntimeException e) {
                Thread.sleep(500); // Redis not back yet
                continue;
            }
            Thread.sleep(2000);
            if (current.size() == symbols.size() && advanced(before, current) && fleet.subscribed() == fleet.size()
                    && fleet.behind(current) == 0) {
                return current;
            }
        }
        out.println("[chaos] not recovered within " + recoveryTimeout + ": " + fleet.subscribed() + "/" + fleet.size()
                + " subscribed, " + current.size() + "/" + symbols.size() + " symbols cached in Redis, quotes flowing again: "
                + advanced(before, current));
        return current;
    }

    private static boolean advanced(Map<String, Long> before, Map<String, Long> current) {
        return before.entrySet().stream().allMatch(e -> current.getOrDefault(e.getKey(), Long.MIN_VALUE) > e.getValue());
    }

    private int busiestEdge() {
        int[] per = fleet.subscribedPerEdge(stack.edgeCount());
        int best = 0;
        for (int i = 1; i < per.length; i++) {
            if (per[i] > per[best]) {
                best = i;
            }
        }
        return best;
    }
}
