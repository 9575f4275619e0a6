package io.stocktracker.launcher.stack;

import io.stocktracker.loadgen.plan.LoadPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one stack (no authentication) that StackIntegrationTest, BrowserEndToEndTest and BrowserChartTest use: a
 * {@link Stack} parameter of a class registering this extension. The first class that asks starts it; it is closed
 * when the test JVM's launcher session ends ({@code StoreScope.LAUNCHER_SESSION}), so every class runs alone as well
 * as after the others, and a whole stack start (Kafka, redis-server, streams, ingest, edge: ~10 s of both cores) is
 * paid once per JVM.
 *
 * <p>Its options are what all three need at once:
 * <ul>
 *   <li>the 50 built-in symbols (StackIntegrationTest lists them all), a quote each second (the browser tests wait
 *       on moving prices), the loadgen tests' own symbols on the operator's allow-list;</li>
 *   <li>a bar closes 1 s after its minute (BrowserChartTest waits for the first one);</li>
 *   <li>two edges on fixed consecutive ports, both page origins in ALLOWED_ORIGINS: BrowserEndToEndTest's pages reach
 *       the first edge's WebSocket through a proxy (another origin, as with a separate WebSocket host), and it stops
 *       the second edge to show Offline, leaving the first to the classes that run after it.</li>
 * </ul>
 */
public final class SharedStack implements ParameterResolver {
    /** Symbol prefixes of the loadgen tests' own quotes, which share the stack with the simulated ones. */
    public static final String THROUGHPUT_PREFIX = "LT";
    public static final String SLOW_PREFIX = "LS";
    public static final int THROUGHPUT_SYMBOLS = 4;
    public static final int SLOW_SYMBOLS = 3;
    /** The edge BrowserEndToEndTest stops: no other class uses it. */
    public static final int EDGE_TO_STOP = 1;

    private static final Namespace NAMESPACE = Namespace.create(SharedStack.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Stack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .computeIfAbsent(Stack.class, k -> Stack.start(options()), Stack.class);
    }

    private static StackOptions options() {
        List<String> loadgenSymbols = new ArrayList<>(LoadPlan.generateSymbols(THROUGHPUT_PREFIX, THROUGHPUT_SYMBOLS));
        loadgenSymbols.addAll(LoadPlan.generateSymbols(SLOW_PREFIX, SLOW_SYMBOLS));
        int port = twoFreePorts();
        return StackOptions.forTests(Map.of(
                "EDGE_PORT", String.valueOf(port),
                "STOCKTRACKER_EDGES", "2",
                "ALLOWED_ORIGINS", "http://localhost:" + port + ",http://localhost:" + (port + 1),
                "INGEST_INTERVAL_MS", "1000",
                "BAR_GRACE_MS", "1000",
                "SYMBOL_ALLOW_LIST", String.join(",", loadgenSymbols)));
    }

    /** A port free now whose successor is free too (the edges take consecutive ports). */
    private static int twoFreePorts() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                if (port < 65535) {
                    try (ServerSocket second = new ServerSocket(port + 1)) {
                        return port;
                    } catch (IOException taken) {
                        // try another pair
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no two consecutive free ports in 20 attempts");
    }
}
