package io.stocktracker.kit.ops;

import io.javalin.Javalin;

/** A service's own HTTP port with only the {@link OpsRoutes}: for services that serve nothing else. */
public final class OpsServer implements AutoCloseable {
    private final Javalin app;

    private OpsServer(Javalin app) {
        this.app = app;
    }

    /** Listens on {@code port} (0 = any free port) and returns once bound. */
    public static OpsServer start(int port, OpsRoutes routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            routes.register(config.routes);
        });
        app.start();
        return new OpsServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
