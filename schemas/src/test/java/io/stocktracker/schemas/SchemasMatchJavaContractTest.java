package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schemas and the Java enums/constants state the same facts, so neither can drift alone. */
class SchemasMatchJavaContractTest {

    @Test
    void errorCodeEnumAndSchemaEnumAreTheSameSet() {
        assertThat(strings(TestFiles.schema("common").at("/$defs/errorCode/enum")))
                .containsExactlyInAnyOrderElementsOf(names(ErrorCode.values()));
    }

    @Test
    void subscriptionOptionBoundsAndFieldNamesAreTheJavaOnes() {
        JsonNode subscribe = TestFiles.schema("subscribe");
        JsonNode options = subscribe.at("/$defs/subscriptionOptions/properties");
        assertThat(strings(options.at("/fields/items/enum"))).containsExactlyElementsOf(
                Arrays.stream(StockQuote.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(options.at("/fields/maxItems").asInt()).isEqualTo(SubscriptionOptions.MAX_FIELDS);
        assertThat(options.at("/maxRate/minimum").asDouble()).isEqualTo(SubscriptionOptions.MIN_MAX_RATE);
        assertThat(options.at("/maxRate/maximum").asDouble()).isEqualTo(SubscriptionOptions.MAX_MAX_RATE);
        assertThat(options.at("/minChangePercent/maximum").asDouble()).isEqualTo(SubscriptionOptions.MAX_MIN_CHANGE_PERCENT);
        assertThat(subscribe.at("/properties/symbolOptions/maxProperties").asInt()).isEqualTo(Subscribe.MAX_SYMBOL_OPTIONS);
        assertThat(options.at("/fields/description").asText()).contains(String.join(", ", SubscriptionOptions.ALWAYS_SENT));
    }

    @Test
    void symbolPatternIsTheJavaOne() {
        assertThat(TestFiles.schema("common").at("/$defs/symbol/pattern").asText()).isEqualTo(Symbols.PATTERN_TEXT);
    }

    @Test
    void clientActionsAreTheJavaSubtypes() {
        List<String> javaActions = subtypeNames(ClientMessage.class);
        JsonNode envelope = TestFiles.schema("client-message");

        assertThat(strings(envelope.at("/properties/action/enum"))).containsExactlyInAnyOrderElementsOf(javaActions);
        assertThat(branchConsts(envelope, "action")).containsExactlyInAnyOrderElementsOf(javaActions);
    }

    @Test
    void serverTypesAreTheJavaSubtypes() {
        List<String> javaTypes = subtypeNames(ServerMessage.class);
        JsonNode envelope = TestFiles.schema("server-message");

        assertThat(strings(envelope.at("/properties/type/enum"))).containsExactlyInAnyOrderElementsOf(javaTypes);
        assertThat(branchConsts(envelope, "type")).containsExactlyInAnyOrderElementsOf(javaTypes);
    }

    @Test
    void redisActionsCommandsAndTypesAreTheJavaOnes() {
        JsonNode change = TestFiles.schema("subscription-change");
        assertThat(strings(change.at("/properties/action/enum"))).containsExactlyInAnyOrderElementsOf(names(SubscriptionChange.Action.values()));
        assertThat(change.at("/properties/type/const").asText()).isEqualTo(SubscriptionChange.TYPE);

        JsonNode control = TestFiles.schema("control");
        assertThat(strings(control.at("/properties/command/enum"))).containsExactlyInAnyOrderElementsOf(names(ControlMessage.Command.values()));
        assertThat(control.at("/properties/type/const").asText()).isEqualTo(ControlMessage.TYPE);
        assertThat(control.at("/properties/target/description").asText()).contains(ControlMessage.ALL);
    }

    @Test
    void everySchemaFileIsKnownToTheValidatorAndDeclaresItsIdAndDialect() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(TestFiles.schemaDir())) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(SchemaValidator.SCHEMAS);
        for (String name : files) {
            JsonNode schema = TestFiles.schema(name);
            assertThat(schema.path("$schema").asText()).as(name).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("$id").asText()).as(name).isEqualTo(SchemaValidator.id(name));
        }
    }

    @Test
    void everyRefInEverySchemaResolvesToAFileAndAPointer() {
        for (String name : SchemaValidator.SCHEMAS) {
            JsonNode schema = TestFiles.schema(name);
            for (String ref : refs(schema)) {
                String file = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
                String pointer = ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : "";
                JsonNode target = file.isEmpty() ? schema : TestFiles.schema(file.replace(".json", ""));
                assertThat(target.at(pointer).isMissingNode()).as("%s: $ref %s", name, ref).isFalse();
            }
        }
    }

    @Test
    void everyMessageSchemaToleratesUnknownFieldsLikeTheCodec() {
        for (String name : SchemaValidator.SCHEMAS) {
            JsonNode schema = TestFiles.schema(name);
            for (JsonNode object : objectsWithProperties(schema)) {
                assertThat(object.path("additionalProperties").asBoolean(true)).as(name).isTrue();
            }
        }
    }

    static List<String> refs(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            if (node.has("$ref")) {
                out.add(node.get("$ref").asText());
            }
            node.properties().forEach(e -> out.addAll(refs(e.getValue())));
        } else if (node.isArray()) {
            node.forEach(n -> out.addAll(refs(n)));
        }
        return out;
    }

    private static List<JsonNode> objectsWithProperties(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isObject()) {
            if (node.has("properties") && !node.has("oneOf")) {
                out.add(node);
            }
            node.properties().forEach(e -> out.addAll(objectsWithProperties(e.getValue())));
        } else if (node.isArray()) {
            node.forEach(n -> out.addAll(objectsWithProperties(n)));
        }
        return out;
    }

    /** The const of the discriminator in every oneOf branch, read from the referenced file. */
    private static Set<String> branchConsts(JsonNode envelope, String discriminator) {
        Set<String> out = new TreeSet<>();
        for (JsonNode branch : envelope.get("oneOf")) {
            String file = branch.get("$ref").asText().replace(".json", "");
            out.add(TestFiles.schema(file).at("/properties/" + discriminator + "/const").asText());
        }
        return out;
    }

    private static List<String> subtypeNames(Class<?> base) {
        return Arrays.stream(base.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name).toList();
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("expected an array, got %s", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toList());
    }
}
