package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md states the same codes as the enums, and its examples are valid messages. */
class ProtocolDocTest {
    private static String doc;

    @BeforeAll
    static void load() throws IOException {
        Path path = TestFiles.moduleDir().resolve("../docs/PROTOCOL.md").normalize();
        doc = Files.readString(path);
    }

    @Test
    void everyErrorCodeIsInTheTableWithItsMeaning() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(doc).as(code.name()).contains("| `" + code.name() + "` | " + code.meaning() + " |");
        }
        assertThat(tableNames(section("## Error codes"), "^\\| `([A-Z_]+)` \\|"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void everyCloseCodeIsInTheTableWithItsNumberAndMeaning() {
        for (CloseCode code : CloseCode.values()) {
            assertThat(doc).as(code.name()).contains("| " + code.code() + " | `" + code.name() + "` | " + code.meaning() + " |");
        }
        assertThat(tableNames(section("## Close codes"), "^\\| \\d{4} \\| `([A-Z_]+)` \\|"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(CloseCode.values()).map(Enum::name).toList());
    }

    @Test
    void everyJsonExampleIsAValidMessageTheRecordsDecode() {
        List<String> examples = jsonBlocks();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(12);
        for (String json : examples) {
            JsonNode node = JsonCodec.tree(json);
            boolean fromClient = node.has("action");
            String envelope = fromClient ? "client-message" : "server-message";
            assertThat(SchemaValidator.shared().validate(envelope, json)).as(json).isEmpty();
            assertThat(fromClient ? JsonCodec.fromJson(json, ClientMessage.class) : JsonCodec.fromJson(json, ServerMessage.class)).isNotNull();
        }
    }

    @Test
    void documentsTheLimitsTheResumeRecipeAndAtMostOnceDelivery() {
        assertThat(doc).contains("4 KiB", "`MAX_FRAME_BYTES`", "`MAX_SYMBOLS_PER_MESSAGE`", "`MAX_SUBSCRIPTIONS`",
                "`MESSAGE_RATE_PER_SECOND`", "## Reconnecting and resuming with `since`", "at-most-once",
                "stocktracker.v1.json", "stocktracker.v1.msgpack");
    }

    private static String section(String heading) {
        int start = doc.indexOf(heading);
        assertThat(start).as(heading).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static List<String> tableNames(String section, String rowPattern) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile(rowPattern, Pattern.MULTILINE).matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> jsonBlocks() {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
