package io.stocktracker.edge.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.ServerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The two subprotocols: JSON text frames (default) and MessagePack binary frames with the same fields. A frame
 * is a {@code String} (text) or a {@code byte[]} (binary); one update is encoded at most once per format.
 */
public enum WireFormat {
    JSON(ProtocolCodec.JSON_SUBPROTOCOL),
    MSGPACK(ProtocolCodec.MSGPACK_SUBPROTOCOL);

    /** The shared codec's settings (ISO timestamps, no nulls, tolerant reads) over MessagePack; JsonMapper cannot copyWith. */
    private static final ObjectMapper MSGPACK_MAPPER = new ObjectMapper(new MessagePackFactory())
            .registerModule(new JavaTimeModule())
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final String subprotocol;

    WireFormat(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    public String subprotocol() {
        return subprotocol;
    }

    /** The first subprotocol the client offered that this edge speaks. */
    public static Optional<WireFormat> negotiate(List<String> offered) {
        for (String p : offered) {
            for (WireFormat f : values()) {
                if (f.subprotocol.equals(p)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    public Object encode(ServerMessage message) {
        if (this == JSON) {
            return ProtocolCodec.encode(message);
        }
        try {
            return MSGPACK_MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-encodes a JSON frame produced elsewhere (the bridge's shared price_update) in this format. */
    public Object fromJson(String json) {
        if (this == JSON) {
            return json;
        }
        try {
            return MSGPACK_MAPPER.writeValueAsBytes(JsonCodec.tree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any value as MessagePack with the shared settings (what a MessagePack client sends). */
    public static byte[] msgpack(Object value) {
        try {
            return MSGPACK_MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readMsgpack(byte[] bytes) throws IOException {
        return MSGPACK_MAPPER.readTree(bytes);
    }

    public static <T> T readMsgpack(byte[] bytes, Class<T> type) throws IOException {
        return MSGPACK_MAPPER.readValue(bytes, type);
    }

    /** For logs and tests: a frame's content as text. */
    public static String describe(Object frame) {
        return frame instanceof byte[] b ? "<" + b.length + " bytes msgpack>" : String.valueOf(frame);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
