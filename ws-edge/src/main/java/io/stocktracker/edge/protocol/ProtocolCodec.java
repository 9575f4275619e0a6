package io.stocktracker.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.options.OptionsCheck;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Refresh;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.Unsubscribe;
import java.util.Optional;
import java.util.Set;

/** Client frame text -> {@link ClientMessage}, or the error to answer; server messages -> frame text. */
public final class ProtocolCodec {
    /** The default subprotocol: JSON text frames. */
    public static final String JSON_SUBPROTOCOL = "stocktracker.v1.json";
    /** Binary frames: the same messages encoded as MessagePack maps. */
    public static final String MSGPACK_SUBPROTOCOL = "stocktracker.v1.msgpack";
    /** Prefix of a Sec-WebSocket-Protocol entry that carries a bearer token (browsers cannot set headers). */
    public static final String BEARER_PROTOCOL_PREFIX = "bearer.";

    /** Client messages nest two levels; deeper JSON or MessagePack is refused before a tree is built. */
    static final int MAX_NESTING_DEPTH = 16;

    /**
     * The shared codec's tree and bindings, read through a parser with limits that fit a client frame (at most
     * EdgeConfig's 1 MiB MAX_FRAME_BYTES ceiling, 4 KiB by default), not Jackson's defaults for any document.
     */
    private static final JsonFactory CLIENT_FRAMES = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxDocumentLength(1 << 20)
                    .maxStringLength(1 << 16)
                    .maxNameLength(256)
                    .maxNumberLength(64)
                    .build())
            .build();

    private static final Set<String> ACTIONS = Set.of(Subscribe.ACTION, Unsubscribe.ACTION, Ping.ACTION, Refresh.ACTION, Alert.ACTION);

    /** Either a message or the error to answer with; exactly one is non-null. */
    public record Decoded(ClientMessage message, ErrorMessage error) {
        static Decoded ok(ClientMessage m) {
            return new Decoded(m, null);
        }

        static Decoded fail(ErrorCode code, String text) {
            return new Decoded(null, ErrorMessage.of(code, text));
        }
    }

    public static Decoded decode(String text) {
        JsonNode node;
        try (JsonParser parser = CLIENT_FRAMES.createParser(text)) {
            node = JsonCodec.mapper().readTree(parser);
        } catch (Exception e) {
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, "Malformed JSON");
        }
        return decode(node);
    }

    /** A binary frame on the MessagePack subprotocol: its headers are checked against its length before decoding. */
    public static Decoded decodeMsgpack(byte[] bytes) {
        Optional<String> problem = MessagePackBounds.problem(bytes);
        if (problem.isPresent()) {
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, "Malformed MessagePack: " + problem.get());
        }
        JsonNode node;
        try {
            node = WireFormat.readMsgpack(bytes);
        } catch (Exception e) {
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, "Malformed MessagePack");
        }
        return decode(node);
    }

    private static Decoded decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, "A message must be a JSON object");
        }
        JsonNode action = node.get("action");
        if (action == null || !action.isTextual()) {
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, "Missing 'action'");
        }
        if (!ACTIONS.contains(action.asText())) {
            return Decoded.fail(ErrorCode.UNSUPPORTED_ACTION, "Unsupported action: " + truncate(action.asText()));
        }
        if (Refresh.ACTION.equals(action.asText())) {
            JsonNode token = node.get("token");
            if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                return Decoded.fail(ErrorCode.INVALID_MESSAGE, "'token' must be a non-empty string");
            }
        } else if (!Ping.ACTION.equals(action.asText()) && !Alert.ACTION.equals(action.asText())) {
            JsonNode symbols = node.get("symbols");
            if (symbols == null || !symbols.isArray()) {
                return Decoded.fail(ErrorCode.INVALID_MESSAGE, "'symbols' must be an array of strings");
            }
            for (JsonNode s : symbols) {
                if (!s.isTextual()) {
                    return Decoded.fail(ErrorCode.INVALID_MESSAGE, "'symbols' must be an array of strings");
                }
            }
            if (Subscribe.ACTION.equals(action.asText())) {
                Optional<String> badOption = OptionsCheck.problem(node);
                if (badOption.isPresent()) {
                    return Decoded.fail(ErrorCode.INVALID_MESSAGE, badOption.get() + "; nothing was subscribed");
                }
            }
        }
        try {
            return Decoded.ok(JsonCodec.mapper().treeToValue(node, ClientMessage.class));
        } catch (Exception e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()
                    ? jme.getPath().get(jme.getPath().size() - 1).getFieldName() : null;
            return Decoded.fail(ErrorCode.INVALID_MESSAGE, field == null ? "Invalid message" : "Invalid field '" + field + "'");
        }
    }

    public static String encode(ServerMessage message) {
        return JsonCodec.toJson(message);
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private ProtocolCodec() {}
}
