package io.stocktracker.loadgen;

import java.net.URI;

/**
 * What a run points at: the edge's WebSocket URL, its metrics URL, and (when the loadgen may drive the
 * feed) the Kafka bootstrap servers. {@code note} says what shares the edge's process, for the report.
 */
public record Target(URI wsUrl, URI metricsUrl, String bootstrapServers, String note, AutoCloseable resources,
                     java.util.List<URI> moreWsUrls) implements AutoCloseable {

    public Target {
        moreWsUrls = moreWsUrls == null ? java.util.List.of() : java.util.List.copyOf(moreWsUrls);
    }

    public Target(URI wsUrl, URI metricsUrl, String bootstrapServers, String note, AutoCloseable resources) {
        this(wsUrl, metricsUrl, bootstrapServers, note, resources, java.util.List.of());
    }

    /** Starts a stack to measure when the user gave no --url (the launcher provides one). */
    @FunctionalInterface
    public interface Factory {
        Target start(int edges) throws Exception;
    }

    @Override
    public void close() throws Exception {
        if (resources != null) {
            resources.close();
        }
    }
}
