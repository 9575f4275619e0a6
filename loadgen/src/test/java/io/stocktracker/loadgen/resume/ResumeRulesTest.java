package io.stocktracker.loadgen.resume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResumeRulesTest {

    @Test
    void subscribesCarryAtMostFiftySymbolsAndSinceOnlyForTheSeqsHeld() {
        List<String> symbols = IntStream.range(0, 120).mapToObj(i -> "S" + i).toList();
        List<String> messages = ResumeRules.subscribeMessages(symbols, k -> k % 2 == 0 ? 1000L + k : Long.MIN_VALUE, "storm-7");

        assertThat(messages).hasSize(3);
        List<String> all = new ArrayList<>();
        for (String m : messages) {
            JsonNode n = JsonCodec.tree(m);
            assertThat(n.get("action").asText()).isEqualTo("subscribe");
            assertThat(n.get("clientId").asText()).isEqualTo("storm-7");
            n.get("symbols").forEach(s -> all.add(s.asText()));
            n.get("symbols").forEach(s -> {
                int k = Integer.parseInt(s.asText().substring(1));
                assertThat(n.get("since").has(s.asText())).isEqualTo(k % 2 == 0);
                if (k % 2 == 0) {
                    assertThat(n.get("since").get(s.asText()).asLong()).isEqualTo(1000L + k);
                }
            });
        }
        assertThat(JsonCodec.tree(messages.get(2)).get("symbols")).hasSize(20);
        assertThat(all).isEqualTo(symbols);
    }

    @Test
    void aClientHoldingNothingSubscribesWithoutSince() {
        String m = ResumeRules.subscribeMessages(List.of("A", "B"), k -> Long.MIN_VALUE, "resume-1").get(0);
        assertThat(JsonCodec.tree(m).has("since")).as(m).isFalse();
    }

    @Test
    void theBackoffDoublesFrom250MsTo4sWithJitterInTheUpperHalf() {
        long[] ceilings = {250, 500, 1000, 2000, 4000, 4000, 4000};
        for (int attempt = 0; attempt < ceilings.length; attempt++) {
            for (int draw = 0; draw < 200; draw++) {
                assertThat(ResumeRules.backoffMillis(attempt)).isBetween(ceilings[attempt] / 2, ceilings[attempt]);
            }
        }
    }
}
