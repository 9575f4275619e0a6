package io.stocktracker.kit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code logback.xml} in both formats: a token in a message, in a query string and in an exception's
 * message never reaches the output, and the JSON format still writes one parseable object per line.
 */
class ShippedLoggingRedactionTest {
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLWJ5dGVz";
    static final String OPAQUE = "opaque-token-value-1234";

    @Test
    void textFormatRedactsTokensInMessagesAndStackTraces() throws Exception {
        String out = logWithShippedConfig("text");
        assertThat(out).doesNotContain(JWT, OPAQUE, JWT.substring(0, JWT.lastIndexOf('.')));
        assertThat(out).contains("GET /ws?token=[redacted]", "Bearer [redacted]", "bad token [redacted]", "IllegalStateException");
    }

    @Test
    void jsonFormatRedactsTokensAndStaysOneParseableObjectPerLine() throws Exception {
        String out = logWithShippedConfig("json");
        assertThat(out).doesNotContain(JWT, OPAQUE, JWT.substring(0, JWT.lastIndexOf('.')));
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(4);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            assertThat(node.path("level").asText()).isNotEmpty();
        }
        assertThat(json.readTree(lines.get(0)).path("formattedMessage").asText()).isEqualTo("GET /ws?token=[redacted]");
        // a token= value ending in an escaped quote: the escape survives, so the string still closes where it did
        assertThat(json.readTree(lines.get(3)).path("formattedMessage").asText()).isEqualTo("token=[redacted]\"quoted\"");
        assertThat(lines.get(2)).contains("bad token [redacted]");
    }

    private static String logWithShippedConfig(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("LOG_FORMAT", format);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            joran.doConfigure(ShippedLoggingRedactionTest.class.getResource("/logback.xml"));
            Logger log = context.getLogger("io.stocktracker.test");
            log.info("GET /ws?token={}", OPAQUE);
            log.warn("Authorization: Bearer {}", JWT);
            log.error("refused", new IllegalStateException("bad token " + JWT));
            log.info("token={}\"quoted\"", OPAQUE);
        } finally {
            context.stop();
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
