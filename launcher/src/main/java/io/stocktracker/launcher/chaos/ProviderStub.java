package io.stocktracker.launcher.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Twelve Data {@code /quote} endpoint on a free loopback port: the ingest connector's first provider in a chaos
 * run, so that "the provider is cut" is a real fault it has to notice (HTTP 503 on every request) and get past by
 * falling back to the next source of its chain.
 */
final class ProviderStub implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Double> prices = new ConcurrentHashMap<>();
    private volatile boolean cut;

    ProviderStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/quote", this::quote);
        server.createContext("/", ex -> answer(ex, 404, "{\"status\":\"error\",\"code\":404,\"message\":\"not here\"}"));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void cut(boolean on) {
        cut = on;
    }

    private void quote(HttpExchange ex) throws IOException {
        if (cut) {
            answer(ex, 503, "{\"status\":\"error\",\"code\":503,\"message\":\"cut by the chaos run\"}");
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        String symbols = "";
        for (String kv : query == null ? new String[0] : query.split("&")) {
            if (kv.startsWith("symbol=")) {
                symbols = URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8);
            }
        }
        long now = Instant.now().getEpochSecond();
        StringBuilder body = new StringBuilder("{");
        for (String s : symbols.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            double p = prices.merge(s, 100.0, (old, x) -> Math.max(1, old * (1 + ThreadLocalRandom.current().nextGaussian() * 0.001)));
            if (body.length() > 1) {
                body.append(',');
            }
            body.append(String.format(Locale.ROOT, "\"%s\":{\"symbol\":\"%s\",\"close\":\"%.4f\",\"timestamp\":%d,\"is_market_open\":true}",
                    s, s, p, now));
        }
        answer(ex, 200, body.append('}').toString());
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
