package io.stocktracker.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The subprotocol names in the schemas module's contract/constants.json (the frontend's source) are the edge's. */
class SubprotocolContractTest {

    @Test
    void subprotocolNamesAndBearerPrefixAreTheEdgeConstants() throws IOException {
        JsonNode subprotocols;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("contract/constants.json")) {
            assertThat(in).as("contract/constants.json on the classpath (schemas jar)").isNotNull();
            subprotocols = JsonCodec.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8)).path("subprotocols");
        }

        assertThat(subprotocols.path("json").asText()).isEqualTo(ProtocolCodec.JSON_SUBPROTOCOL);
        assertThat(subprotocols.path("msgpack").asText()).isEqualTo(ProtocolCodec.MSGPACK_SUBPROTOCOL);
        assertThat(subprotocols.path("bearerPrefix").asText()).isEqualTo(ProtocolCodec.BEARER_PROTOCOL_PREFIX);
        assertThat(subprotocols.size()).isEqualTo(3);
    }
}
