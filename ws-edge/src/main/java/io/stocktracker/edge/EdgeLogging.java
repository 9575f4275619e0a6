package io.stocktracker.edge;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Without a logback configuration logback logs everything at DEBUG, Jetty's request lines (with their query strings,
 * so a {@code ?token=}) included. The module ships no {@code logback.xml}, so it never overrides the launcher's or a
 * deployment's; when nobody configured logging, {@code main} applies {@value #CONFIG}: quiet libraries and tokens
 * redacted.
 */
final class EdgeLogging {
    static final String CONFIG = "ws-edge-logback.xml";

    private EdgeLogging() {}

    static void configureUnlessConfigured() {
        boolean configured = System.getProperty("logback.configurationFile") != null
                || EdgeLogging.class.getResource("/logback.xml") != null
                || EdgeLogging.class.getResource("/logback-test.xml") != null;
        if (!configured && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            configure(context);
        }
    }

    /** Replaces the context's configuration with {@value #CONFIG}. */
    static void configure(LoggerContext context) {
        URL config = EdgeLogging.class.getResource("/" + CONFIG);
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException(CONFIG + " is broken", e);
        }
    }
}
