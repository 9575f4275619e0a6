package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/nginx/nginx.conf as shipped, run by a real nginx in front of a real edge (only the upstream address, the
 * listen port and the file paths are rewritten): the ops paths stay private in every spelling, pages and REST pass
 * with the edge's browser headers once, and a page served through nginx may open /ws while a foreign one may not.
 * Without an nginx binary the class is skipped, except where {@code STOCKTRACKER_REQUIRE_NGINX=1} (CI) makes that a
 * failure.
 */
class NginxFrontTest {
    private static TestEdge edge;
    private static Process nginx;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        String binary = nginxBinary();
        if (binary == null) {
            if ("1".equals(System.getenv("STOCKTRACKER_REQUIRE_NGINX"))) {
                throw new AssertionError("nginx is required (STOCKTRACKER_REQUIRE_NGINX=1) but not installed: apt-get install nginx-light");
            }
            Assumptions.abort("nginx is not installed");
        }
        // nginx is the trusted proxy, as in docker-compose.yml
        edge = TestEdge.inMemory(Map.of("TRUSTED_PROXIES", "127.0.0.1"));
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
        dir = Files.createTempDirectory(Path.of("target"), "nginx-").toAbsolutePath();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String conf = Files.readString(Path.of("..", "deploy", "nginx", "nginx.conf"));
        String upstream = "server edge-1:8081 max_fails=3 fail_timeout=10s;";
        assertThat(conf).contains(upstream, "listen 80;", "access_log /var/log/nginx/access.log main;");
        conf = conf.replace(upstream, "server 127.0.0.1:" + edge.port() + ";")
                .replace("server edge-2:8081 max_fails=3 fail_timeout=10s;", "")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("access_log /var/log/nginx/access.log main;", "access_log " + dir.resolve("access.log") + " main;")
                .replace("worker_connections 40000;", "worker_connections 256;")
                .replace("worker_rlimit_nofile 65535;", "");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        nginx = new ProcessBuilder(binary, "-p", dir + "/", "-c", file.toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off; master_process off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await().atMost(TestInfra.TIMEOUT).until(() -> {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void theOpsPathsAreNotServedThroughNginxInAnySpelling() throws Exception {
        // not a vacuous 404: the edge itself serves them, trailing slash and all
        assertThat(get(edge.port(), "/metrics/").status()).isEqualTo(200);
        List<String> served = new ArrayList<>();
        for (String path : List.of("/metrics", "/metrics/", "//metrics", "/%6Detrics", "/%6detrics/", "/METRICS", "/Metrics/",
                "/metrics;x", "/metrics%3Bx", "/metrics?x=1", "/./metrics", "/api/../metrics", "/api/%2e%2e/metrics",
                "/metrics/../metrics", "/ready", "/ready/", "//ready", "/health", "/health/", "/%68ealth")) {
            Response r = get(port, path);
            if (r.status() != 404 || r.body().contains("stocktracker_edge") || r.body().contains("\"accepting\"")) {
                served.add(path + " -> " + r.status());
            }
        }
        assertThat(served).as("ops paths nginx served to the public").isEmpty();
    }

    @Test
    void pagesAndRestPassThroughWithTheEdgesBrowserHeadersOnce() throws Exception {
        for (String path : List.of("/", "/api/symbols")) {
            Response r = get(port, path);
            if (path.startsWith("/api")) {
                assertThat(r.status()).isEqualTo(200);
            }
            for (String header : List.of("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")) {
                assertThat(r.headers().stream().filter(h -> h.startsWith(header + ":")).count()).as(path + " " + header).isEqualTo(1);
            }
        }
    }

    @Test
    void aPageServedThroughNginxMayOpenTheSocketAndAForeignPageMayNot() throws Exception {
        try (RawUpgrade own = RawUpgrade.send(port, "/ws", "Origin: http://127.0.0.1:" + port + "\r\n")) {
            assertThat(own.status).as("same origin through nginx (Host passed with its port)").isEqualTo(101);
        }
        try (RawUpgrade foreign = RawUpgrade.send(port, "/ws", "Origin: https://evil.example\r\n")) {
            assertThat(foreign.status).isEqualTo(403);
            assertThat(foreign.body).contains("FORBIDDEN_ORIGIN");
        }
    }

    record Response(int status, List<String> headers, String body) {
    }

    /** A raw request: the path goes out exactly as written (an HTTP client library would normalize it). */
    private static Response get(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            List<String> lines = head.lines().toList();
            int status = Integer.parseInt(lines.get(0).split(" ")[1]);
            List<String> headers = lines.subList(1, lines.size()).stream().map(l -> l.toLowerCase(Locale.ROOT)).toList();
            return new Response(status, headers, split < 0 ? "" : text.substring(split + 4));
        }
    }

    private static String nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
