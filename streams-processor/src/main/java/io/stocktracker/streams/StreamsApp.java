package io.stocktracker.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stocktracker.streams.admin.TopicInitializer;
import io.stocktracker.kit.main.ServiceMain;
import io.stocktracker.kit.ops.OpsRoutes;
import io.stocktracker.kit.ops.OpsServer;
import io.stocktracker.streams.http.StreamsProbe;
import io.stocktracker.streams.metrics.QuoteMetrics;
import io.stocktracker.streams.topology.QuoteTopology;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-processor service: creates the topics, runs {@link QuoteTopology} and serves
 * {@code /health}, {@code /ready} and {@code /metrics}. {@link #start} returns once the stream threads are started
 * (the state becomes RUNNING after the first rebalance; {@code /health} says when).
 */
public final class StreamsApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);
    /** More thread failures than this within {@link #CRASH_WINDOW} means replacing threads will not help. */
    static final int MAX_THREAD_REPLACEMENTS = 5;
    static final Duration CRASH_WINDOW = Duration.ofMinutes(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final StreamsConfig config;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final OpsServer ops;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StreamsApp(StreamsConfig config, PrometheusMeterRegistry registry, KafkaStreams streams,
                       KafkaStreamsMetrics streamsMetrics, OpsServer ops) {
        this.config = config;
        this.registry = registry;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.ops = ops;
    }

    public static StreamsApp start(StreamsConfig config) {
        TopicInitializer.ensureTopics(config.bootstrapServers(), config.topicPartitions(), config.replicationFactor(), Duration.ofSeconds(60));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", "streams-processor");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        QuoteMetrics metrics = new QuoteMetrics(registry);

        KafkaStreams streams = new KafkaStreams(QuoteTopology.build(config, metrics), config.kafkaStreamsProperties());
        streams.setUncaughtExceptionHandler(new ThreadReplacer(registry));
        streams.setStateListener((now, before) -> log.info("Kafka Streams state {} -> {}", before, now));
        Gauge.builder("streams.state.running", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while Kafka Streams is RUNNING").register(registry);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        OpsServer ops = null;
        try {
            ops = OpsServer.start(config.httpPort(), new OpsRoutes(registry, () -> StreamsProbe.of(streams.state()),
                    () -> StreamsProbe.of(streams.state()), () -> { }));
            streams.start();
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(10));
            streamsMetrics.close();
            if (ops != null) {
                ops.close();
            }
            throw e;
        }
        StreamsApp app = new StreamsApp(config, registry, streams, streamsMetrics, ops);
        log.info("streams-processor started; /health and /metrics on port {}", app.port());
        return app;
    }

    /** The bound HTTP port (useful when configured as 0). */
    public int port() {
        return ops.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public StreamsConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Commits and closes the stream threads (leaving the group so a replacement takes over at once), then the HTTP server. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("stopping streams-processor");
        try {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        } finally {
            streamsMetrics.close();
            ops.close();
            registry.close();
            log.info("streams-processor stopped");
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceMain.run("streams-processor", StreamsConfig::fromEnv, StreamsApp::start);
    }

    /**
     * Replaces a failed stream thread (its tasks are retried from the last commit), unless threads keep
     * failing: then the client shuts down, /health turns 503 and the orchestrator restarts the process.
     */
    static final class ThreadReplacer implements org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler {
        private final Deque<Long> failures = new ArrayDeque<>();
        private final Counter replaced;

        ThreadReplacer(io.micrometer.core.instrument.MeterRegistry registry) {
            this.replaced = Counter.builder("streams.threads.replaced").description("stream threads replaced after an uncaught exception")
                    .register(registry);
        }

        @Override
        public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
            long now = System.nanoTime();
            failures.addLast(now);
            while (!failures.isEmpty() && now - failures.peekFirst() > CRASH_WINDOW.toNanos()) {
                failures.removeFirst();
            }
            if (failures.size() > MAX_THREAD_REPLACEMENTS) {
                log.error("stream thread failed {} times within {}; shutting down the client", failures.size(), CRASH_WINDOW, exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("stream thread failed; replacing it", exception);
            replaced.increment();
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }
}
