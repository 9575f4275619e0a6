package io.stocktracker.kit.main;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's {@code main} does: read its configuration from the environment (a bad one prints every
 * problem and exits with code 2, before anything starts), start, and close on SIGTERM/Ctrl-C through a shutdown
 * hook, then return. Logging is the kit's logback.xml.
 */
public final class ServiceMain {
    /** The exit code of a configuration the service refuses: a supervisor should not restart it in a loop. */
    public static final int BAD_CONFIG = 2;
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    public static <C> void run(String service, Function<Map<String, String>, C> readConfig, Function<C, AutoCloseable> start)
            throws InterruptedException {
        C config;
        try {
            config = readConfig.apply(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(BAD_CONFIG);
            return;
        }
        log.info("starting {}: {}", service, config);
        AutoCloseable app = start.apply(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                log.warn("{} did not close cleanly", service, e);
            } finally {
                stopped.countDown();
            }
        }, service + "-shutdown"));
        stopped.await();
    }
}
