package io.stocktracker.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.kit.config.EnvKeys;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its contract is checked instead: every service
 * built from this repository names its config record (label {@code io.stocktracker.config}), sets only
 * environment keys that record reads, and its environment (with compose defaults substituted) passes
 * the record's own validation; the Dockerfiles, nginx and Prometheus configs agree with the services.
 */
class ComposeFileTest {
    static final String CONFIG_LABEL = "io.stocktracker.config";
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*)|(:?\\?)[^}]*)?}");
    /** What a required variable ({@code ${X:?message}}, compose refuses to start without it) stands for here. */
    static final String REQUIRED = "operator-set-";

    private static Path root;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docker-compose.yml"))) {
            root = root.getParent();
            assertThat(root).as("docker-compose.yml above the working directory").isNotNull();
        }
        Map<String, Object> compose = new Yaml().load(Files.readString(root.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** Services built from this repository (they have a build section). */
    private static Map<String, Map<String, Object>> built() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            if (s.containsKey("build")) {
                out.put(name, s);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** Compose interpolation with the defaults written in the file: {@code ${X:-d}} -> d, {@code ${X}} -> "". */
    static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(3) != null ? REQUIRED + m.group(1).toLowerCase(java.util.Locale.ROOT)
                    : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Class<?> configClass(Map<String, Object> service) throws ClassNotFoundException {
        Map<String, Object> labels = (Map<String, Object>) service.get("labels");
        assertThat(labels).as("labels").isNotNull().containsKey(CONFIG_LABEL);
        return Class.forName(String.valueOf(labels.get(CONFIG_LABEL)));
    }

    /**
     * The keys a config record documents: its declared key table, a public static {@link EnvKeys} named KEYS.
     */
    static Set<String> documentedKeys(Class<?> config) throws IllegalAccessException {
        Set<String> keys = new LinkedHashSet<>();
        for (Field f : config.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object v = f.get(null);
            if (f.getName().equals("KEYS") && v instanceof EnvKeys declared) {
                declared.keys().forEach(k -> keys.add(k.name()));
            }
        }
        return keys;
    }

    @Test
    void everyBuiltServiceNamesAConfigRecordWithDocumentedKeys() throws Exception {
        assertThat(built()).containsKeys("ingest", "ingest-2", "streams", "edge-1", "edge-2");
        for (var e : built().entrySet()) {
            Class<?> config = configClass(e.getValue());
            assertThat(documentedKeys(config)).as(e.getKey() + ": " + config.getName() + " documents its keys").isNotEmpty();
        }
    }

    @Test
    void everyEnvironmentKeyIsOneItsServiceReads() throws Exception {
        List<String> unknown = new ArrayList<>();
        for (var e : built().entrySet()) {
            Set<String> keys = documentedKeys(configClass(e.getValue()));
            for (String key : environment(e.getValue()).keySet()) {
                if (!keys.contains(key)) {
                    unknown.add(e.getKey() + ": " + key);
                }
            }
        }
        assertThat(unknown).as("environment keys no config record reads").isEmpty();
    }

    @Test
    void everyServiceEnvironmentPassesItsConfigValidation() throws Exception {
        for (var e : built().entrySet()) {
            Map<String, String> env = new LinkedHashMap<>();
            environment(e.getValue()).forEach((k, v) -> env.put(k, interpolate(v)));
            Method fromEnv = configClass(e.getValue()).getMethod("fromEnv", Map.class);
            Object config = fromEnv.invoke(null, env);
            assertThat(config).as(e.getKey()).isNotNull();
        }
    }

    /** Two replicas of one service: the same environment but for their identity key; returns the shared part. */
    private static Map<String, String> replicasDifferOnlyIn(String identityKey, String serviceA, String idA, String serviceB,
                                                            String idB) {
        Map<String, String> one = environment(services.get(serviceA));
        Map<String, String> two = environment(services.get(serviceB));
        assertThat(one.remove(identityKey)).isEqualTo(idA);
        assertThat(two.remove(identityKey)).isEqualTo(idB);
        assertThat(one).isEqualTo(two);
        return one;
    }

    @Test
    void theEdgesDifferOnlyInTheirIdentity() {
        assertThat(replicasDifferOnlyIn("EDGE_ID", "edge-1", "edge-1", "edge-2", "edge-2"))
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092").containsEntry("REDIS_URL", "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379");
    }

    @Test
    void theIngestInstancesAreALeaderAndAStandbyDifferingOnlyInTheirIdentity() {
        // without the lease both would fetch and spend the same API keys
        assertThat(replicasDifferOnlyIn("INGEST_INSTANCE_ID", "ingest", "ingest-1", "ingest-2", "ingest-2"))
                .containsEntry("INGEST_LEADER_ELECTION", "true").containsEntry("REDIS_URL", "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379");
    }

    @Test
    void kafkaRunsInKraftModeFromTheOfficialImage() {
        Map<String, Object> kafka = services.get("kafka");
        assertThat(String.valueOf(kafka.get("image"))).startsWith("apache/kafka:");
        Map<String, String> env = environment(kafka);
        assertThat(env.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(env).containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS").doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(String.valueOf(services.get("redis").get("image"))).startsWith("redis:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceImageIsAMultiStageBuildThatRunsItsApp() throws Exception {
        for (var e : built().entrySet()) {
            Map<String, Object> build = (Map<String, Object>) e.getValue().get("build");
            Path dockerfile = root.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile")));
            assertThat(dockerfile).as(e.getKey()).exists();
            String text = Files.readString(dockerfile);
            List<String> froms = text.lines().filter(l -> l.startsWith("FROM ")).toList();
            assertThat(froms).as(e.getKey() + " stages").hasSizeGreaterThanOrEqualTo(2);
            assertThat(froms.get(froms.size() - 1)).contains("eclipse-temurin:17-jre");
            Matcher main = Pattern.compile("(io\\.stocktracker\\.[a-z]+\\.[A-Za-z]+App)").matcher(text);
            assertThat(main.find()).as(e.getKey() + " names its main class").isTrue();
            Class<?> app = Class.forName(main.group(1));
            assertThat(app.getMethod("main", String[].class)).isNotNull();
            assertThat(app.getPackageName()).isEqualTo(configClass(e.getValue()).getPackageName());
        }
    }

    @Test
    void theLoadBalancerProxiesWebSocketsToEveryEdge() throws Exception {
        String nginx = Files.readString(root.resolve("deploy/nginx/nginx.conf"));
        assertThat(nginx).contains("proxy_set_header Upgrade $http_upgrade;")
                .contains("proxy_set_header Connection $connection_upgrade;")
                .contains("proxy_http_version 1.1;");
        Matcher timeout = Pattern.compile("proxy_read_timeout (\\d+)s;").matcher(nginx);
        assertThat(timeout.find()).isTrue();
        assertThat(Integer.parseInt(timeout.group(1))).as("read timeout far above the heartbeat").isGreaterThanOrEqualTo(300);
        for (var e : built().entrySet()) {
            if (configClass(e.getValue()).getSimpleName().equals("EdgeConfig")) {
                String port = environment(e.getValue()).get("EDGE_PORT");
                assertThat(nginx).contains("server " + e.getKey() + ":" + port);
            }
        }
        assertThat(services.get("lb").toString()).contains("deploy/nginx/nginx.conf");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServicesMetricsPort() throws Exception {
        Map<String, Object> prometheus = new Yaml().load(Files.readString(root.resolve("deploy/prometheus/prometheus.yml")));
        Set<String> targets = new LinkedHashSet<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) sc.get("targets"));
            }
        }
        for (var e : built().entrySet()) {
            String port = environment(e.getValue()).entrySet().stream()
                    .filter(env -> env.getKey().endsWith("_PORT")).map(Map.Entry::getValue).findFirst().orElseThrow();
            assertThat(targets).as("scrape target of " + e.getKey()).contains(e.getKey() + ":" + port);
        }
        assertThat(Files.exists(root.resolve("deploy/prometheus/alerts.yml"))).isTrue();
        Map<String, Object> alerts = new Yaml().load(Files.readString(root.resolve("deploy/prometheus/alerts.yml")));
        assertThat(alerts).containsKey("groups");
    }

    @Test
    void interpolationUsesTheDefaultsWrittenInTheFile() {
        assertThat(interpolate("${INGEST_SOURCES:-simulated}")).isEqualTo("simulated");
        assertThat(interpolate("${JWT_SECRET:-}")).isEmpty();
        assertThat(interpolate("${X}/y")).isEqualTo("/y");
        assertThat(interpolate("redis://:${REDIS_PASSWORD:?set it}@redis:6379")).isEqualTo("redis://:" + REQUIRED + "redis_password@redis:6379");
    }

    /** Everything but the load balancer listens on this host only (or is not published at all). */
    @Test
    @SuppressWarnings("unchecked")
    void nothingButTheLoadBalancerIsPublishedBeyondThisHost() {
        services.forEach((name, service) -> {
            for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
                String hostIp = port instanceof Map<?, ?> long_ ? String.valueOf(((Map<String, Object>) long_).get("host_ip"))
                        : String.valueOf(port).split(":").length == 3 ? String.valueOf(port).split(":")[0] : "0.0.0.0";
                if (!name.equals("lb")) {
                    assertThat(hostIp).as(name + " publishes " + port).isEqualTo("127.0.0.1");
                }
            }
        });
    }

    @Test
    void redisRequiresAPasswordTheOperatorMustSetAndEveryClientSendsIt() {
        Map<String, Object> redis = services.get("redis");
        String command = String.valueOf(redis.get("command"));
        assertThat(command).as("redis command").contains("--requirepass");
        assertThat(String.valueOf(environment(redis).get("REDIS_PASSWORD"))).as("no default password").startsWith("${REDIS_PASSWORD:?");
        assertThat(String.valueOf(((Map<?, ?>) redis.get("healthcheck")).get("test"))).as("the health check authenticates")
                .contains("REDISCLI_AUTH");
        services.forEach((name, service) -> {
            String url = environment(service).get("REDIS_URL");
            if (url != null) {
                assertThat(url).as(name + " REDIS_URL").matches("rediss?://[^@/]*:\\$\\{REDIS_PASSWORD:\\?[^}]*}@.+");
            }
        });
        assertThat(built().keySet().stream().filter(n -> environment(services.get(n)).containsKey("REDIS_URL")))
                .contains("ingest", "ingest-2", "edge-1", "edge-2");
    }

    /** A tag names one release (x.y.z), so a pull next month runs what was reviewed; Redis at 7.4.6 or later. */
    @Test
    void everyPulledImageIsPinnedToAPatchRelease() {
        services.forEach((name, service) -> {
            if (service.containsKey("build")) {
                return;
            }
            String image = String.valueOf(service.get("image"));
            assertThat(image).as(name + " image").matches("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+(-[a-z0-9.]+)?");
        });
        Matcher redis = Pattern.compile("redis:7\\.4\\.(\\d+)").matcher(String.valueOf(services.get("redis").get("image")));
        assertThat(redis.lookingAt()).as("Redis 7.4.x").isTrue();
        assertThat(Integer.parseInt(redis.group(1))).as("Redis 7.4 patch (CVE-2025-49844 fixed in 7.4.6)").isGreaterThanOrEqualTo(6);
    }

    @Test
    void grafanaIsProvisionedOnThisHostWithAnAdminPasswordAndNoAnonymousAccess() throws Exception {
        Map<String, Object> grafana = services.get("grafana");
        assertThat(grafana).as("grafana service").isNotNull();
        Map<String, String> env = environment(grafana);
        assertThat(env.get("GF_SECURITY_ADMIN_PASSWORD")).startsWith("${GRAFANA_ADMIN_PASSWORD:?");
        assertThat(env.get("GF_AUTH_ANONYMOUS_ENABLED")).isEqualTo("false");
        assertThat(String.valueOf(grafana.get("volumes"))).contains("./deploy/grafana/provisioning:").contains("./deploy/grafana/dashboards:");
        assertThat(root.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")).exists();
        assertThat(Files.readString(root.resolve("deploy/grafana/provisioning/dashboards/stocktracker.yml"))).contains("/etc/grafana/dashboards");
    }

    @Test
    void everyDockerfileDocumentsItsJavaOptsAndHeapSizing() throws Exception {
        for (String image : List.of("ws-edge", "streams-processor", "ingest-connector")) {
            String dockerfile = Files.readString(root.resolve("deploy/docker/" + image + ".Dockerfile"));
            assertThat(dockerfile).as(image).contains("ENV JAVA_OPTS=").contains("# JAVA_OPTS").contains("-XX:MaxRAMPercentage").contains("heap")
                    .as(image + " builds service-kit (the logging configuration)").contains("service-kit");
        }
    }
}
