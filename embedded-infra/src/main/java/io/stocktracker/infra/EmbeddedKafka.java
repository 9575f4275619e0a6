package io.stocktracker.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka KRaft broker (combined broker + controller) inside this JVM. Ports are chosen
 * once, so {@link #stop()} then {@link #restart()} brings the same broker back on the same address with
 * its data: that is how tests show behaviour across a broker restart.
 */
public final class EmbeddedKafka implements KafkaCluster {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    /**
     * Port pairs tried by a first start: between {@link FreePorts} picking a port and the broker binding it, another
     * process may take it (any outgoing connection draws from the same ephemeral range).
     */
    static final int PORT_ATTEMPTS = 5;
    /** Kafka's exit hooks are static: one broker of this JVM starts at a time. */
    private static final Object STARTING = new Object();

    private final Path logDir;
    private final boolean deleteOnClose;
    private final IntSupplier freePorts;
    private int brokerPort;
    private int controllerPort;
    private final String clusterId;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    EmbeddedKafka(Path logDir, boolean deleteOnClose, Map<String, String> overrides, IntSupplier freePorts) {
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.freePorts = freePorts;
        this.clusterId = Uuid.randomUuid().toString();
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts a broker on free ports with a fresh temporary log directory, deleted on close. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with broker config overrides (e.g. {@code log.cleaner.backoff.ms}). */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        try {
            EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("kafka-"), true, overrides, FreePorts::next);
            kafka.startOnFreePorts();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker whose data lives in {@code logDir} and is kept after close (the launcher's). */
    public static EmbeddedKafka startPersistent(Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, false, Map.of(), FreePorts::next);
        kafka.startOnFreePorts();
        return kafka;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    @Override
    public boolean managed() {
        return true;
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** Starts the broker again after {@link #stop()}, on the same port, with the same data. */
    public synchronized void restart() {
        if (server == null) {
            startBroker();
        }
    }

    /** Stops the broker (clients see it as down) but keeps its data and ports. */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            s.shutdown();
            s.awaitShutdown();
            log.info("Kafka broker on {} stopped", bootstrapServers());
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    /** The first start: on a port someone else took meanwhile, again on other ports. */
    synchronized void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            brokerPort = freePorts.getAsInt();
            controllerPort = freePorts.getAsInt();
            try {
                startBroker();
                return;
            } catch (BrokerFault e) {
                if (attempt == PORT_ATTEMPTS) {
                    close();
                    throw new IllegalStateException("embedded Kafka did not start on any of " + PORT_ATTEMPTS + " port pairs", e);
                }
                log.warn("embedded Kafka did not start on ports {} and {} ({}); trying other ports", brokerPort, controllerPort,
                        e.getMessage());
            }
        }
    }

    /**
     * Kafka answers a fatal fault (such as a listener port taken by the time it binds) by halting the JVM: a test
     * JVM would die without a word. While this broker starts, such a fault is thrown here instead.
     */
    private synchronized void startBroker() {
        long started = System.nanoTime();
        Map<String, String> props = brokerProperties();
        Path metaFile = logDir.resolve("meta.properties");
        if (!Files.exists(metaFile)) {
            format(props);
        }
        KafkaConfig config = new KafkaConfig(props, false);
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        synchronized (STARTING) {
            Exit.setHaltProcedure((code, message) -> {
                throw new BrokerFault(code, message);
            });
            Exit.setExitProcedure((code, message) -> {
                throw new BrokerFault(code, message);
            });
            try {
                starting.startup();
            } catch (RuntimeException e) {
                BrokerFault fault = BrokerFault.in(e);
                if (fault == null) {
                    throw e;
                }
                shutDownQuietly(starting);
                throw fault;
            } finally {
                // Kafka's defaults again (its reset methods install procedures that throw, meant for its own tests)
                Exit.setHaltProcedure((code, message) -> Runtime.getRuntime().halt(code));
                Exit.setExitProcedure((code, message) -> System.exit(code));
            }
        }
        server = starting;
        awaitReady();
        log.info("Kafka broker ready on {} in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void shutDownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.debug("shutting down a broker that did not start", e);
        }
    }

    /** A fatal fault of a starting broker, where Kafka would have halted the JVM. */
    static final class BrokerFault extends RuntimeException {
        BrokerFault(int code, String message) {
            super("Kafka would have halted the JVM with code " + code + (message == null ? "" : ": " + message));
        }

        static BrokerFault in(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof BrokerFault fault) {
                    return fault;
                }
            }
            return null;
        }
    }

    private Map<String, String> brokerProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // single node: every replication factor and ISR is one
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the cleaner's 128 MiB default dedupe buffer would dominate a test JVM's heap
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(overrides);
        return p;
    }

    private void format(Map<String, String> props) {
        try {
            Path configFile = Files.createTempFile("kafka-format-", ".properties");
            Properties properties = new Properties();
            properties.putAll(props);
            try (var out = Files.newOutputStream(configFile)) {
                properties.store(out, "embedded kafka");
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {
                    "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--standalone", "--ignore-formatted"
            }, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            Files.deleteIfExists(configFile);
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed (" + rc + "): " + buffer.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not become ready on " + bootstrapServers(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}", dir, e);
        }
    }
}
