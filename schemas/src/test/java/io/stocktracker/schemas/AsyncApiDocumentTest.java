package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.validation.SchemaValidator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** asyncapi.yaml parses, every $ref in it resolves, and it names every topic and channel of the Java contract. */
class AsyncApiDocumentTest {
    private static Path document;
    private static JsonNode root;

    @BeforeAll
    static void load() throws IOException {
        document = TestFiles.moduleDir().resolve("asyncapi.yaml");
        try (Reader in = Files.newBufferedReader(document)) {
            Object yaml = new Yaml().load(in);
            root = JsonCodec.mapper().valueToTree(yaml);
        }
    }

    @Test
    void isAnAsyncApi3Document() {
        assertThat(root.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(root.path("info").path("title").asText()).isNotBlank();
        assertThat(root.path("channels").size()).isGreaterThan(0);
        assertThat(root.path("operations").size()).isGreaterThan(0);
    }

    @Test
    void everyRefResolves() {
        List<String> refs = SchemasMatchJavaContractTest.refs(root);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
            String pointer = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
            JsonNode target;
            if (file.isEmpty()) {
                target = root;
            } else {
                Path path = document.getParent().resolve(file).normalize();
                assertThat(path).as("$ref %s", ref).isRegularFile();
                target = JsonCodec.tree(read(path));
            }
            assertThat(target.at(pointer).isMissingNode()).as("$ref %s", ref).isFalse();
        }
    }

    @Test
    void referencesEverySchemaFileInsteadOfCopyingIt() {
        Set<String> referenced = new TreeSet<>();
        for (String ref : SchemasMatchJavaContractTest.refs(root)) {
            if (ref.startsWith("./src/main/resources/schemas/")) {
                String file = ref.substring("./src/main/resources/schemas/".length());
                referenced.add(file.substring(0, file.indexOf(".json")));
            }
        }
        assertThat(referenced).containsExactlyInAnyOrderElementsOf(SchemaValidator.SCHEMAS);
        // no inline message payload: every payload is a $ref to a file (the DLQ's raw bytes excepted)
        root.path("components").path("messages").properties().forEach(e -> {
            JsonNode payload = e.getValue().path("payload");
            if (!"application/octet-stream".equals(e.getValue().path("contentType").asText())) {
                assertThat(payload.path("schema").has("$ref")).as(e.getKey()).isTrue();
            }
        });
    }

    @Test
    void everyKafkaTopicIsAChannelWithItsKeyAndPolicy() {
        Map<String, JsonNode> channels = channelsByAddress();
        for (String topic : Topics.all()) {
            JsonNode channel = channels.get(topic);
            assertThat(channel).as(topic).isNotNull();
            assertThat(channel.at("/servers/0/$ref").asText()).isEqualTo("#/servers/kafka");
            JsonNode kafka = channel.at("/bindings/kafka");
            assertThat(kafka.path("partitions").asInt()).as(topic).isEqualTo(Topics.DEFAULT_PARTITIONS);

            Map<String, String> expected = Topics.configs().get(topic);
            Map<String, String> documented = new LinkedHashMap<>();
            channel.path("x-topic-configs").properties().forEach(e -> documented.put(e.getKey(), e.getValue().asText()));
            assertThat(documented).as(topic).isEqualTo(expected);
            List<String> policies = new ArrayList<>();
            kafka.at("/topicConfiguration/cleanup.policy").forEach(p -> policies.add(p.asText()));
            assertThat(String.join(",", policies)).as(topic).isEqualTo(expected.get("cleanup.policy"));
            if (expected.containsKey("retention.ms")) {
                assertThat(kafka.at("/topicConfiguration/retention.ms").asText()).isEqualTo(expected.get("retention.ms"));
            }
        }
        assertThat(channels.get(Topics.QUOTES_RAW_DLQ).toString()).contains(Topics.DLQ_REASON_HEADER);
        assertThat(root.at("/components/messageTraits/symbolKey/bindings/kafka/key/$ref").asText())
                .endsWith("common.json#/$defs/symbol");
    }

    @Test
    void everyRedisChannelAndKeyIsAChannel() {
        Map<String, JsonNode> channels = channelsByAddress();
        for (String address : List.of(Channels.UPDATES, Channels.SUBSCRIPTIONS, Channels.CONTROL,
                Channels.quoteKey("{symbol}"), Channels.activeSymbolsKey("{edgeId}"), Channels.userConnectionsKey("{subject}"),
                Channels.INGEST_LEADER, Channels.INGEST_BUDGET + ":{provider}:{periodStart}")) {
            assertThat(channels).as(address).containsKey(address);
            assertThat(channels.get(address).at("/servers/0/$ref").asText()).isEqualTo("#/servers/redis");
        }
    }

    @Test
    void theWebSocketChannelOffersBothSubprotocolsAndAllMessages() {
        JsonNode ws = channelsByAddress().get("/ws");
        assertThat(ws).isNotNull();
        assertThat(ws.path("x-subprotocols").toString()).contains("stocktracker.v1.json", "stocktracker.v1.msgpack");
        List<String> names = new ArrayList<>();
        ws.path("messages").properties().forEach(e -> {
            String ref = e.getValue().path("$ref").asText();
            names.add(root.at(ref.substring(1)).path("name").asText());
        });
        assertThat(names).containsExactlyInAnyOrder("subscribe", "unsubscribe", "ping",
                "connected", "price_update", "batch_update", "error", "pong", "subscribed", "unsubscribed",
                "refresh", "token_expiring", "token_refreshed", "alert", "alerts", "alert_triggered", "bar_update");
    }

    private static Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("channels").properties().forEach(e -> out.put(e.getValue().path("address").asText(), e.getValue()));
        return out;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
