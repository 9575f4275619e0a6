package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.CloseCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** contract/constants.json (read by the frontend's generator) states the same close codes as {@link CloseCode}. */
class ContractConstantsTest {

    @Test
    void closeCodeTableIsTheJavaEnumInOrderWithNumbersAndMeanings() {
        JsonNode constants = JsonCodec.tree(TestFiles.resource("contract/constants.json"));
        List<String> fromJson = new ArrayList<>();
        constants.path("closeCodes").forEach(c ->
                fromJson.add(c.path("name").asText() + " " + c.path("code").asInt() + " " + c.path("meaning").asText()));

        assertThat(fromJson).containsExactlyElementsOf(
                Arrays.stream(CloseCode.values()).map(c -> c.name() + " " + c.code() + " " + c.meaning()).toList());
    }
}
