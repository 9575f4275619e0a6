package io.stocktracker.streams.serde;

import io.stocktracker.schemas.codec.JsonCodec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka Serde over the one shared {@link JsonCodec}, so every topic speaks the same JSON. */
public final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;

    private JsonSerde(Class<T> type) {
        this.type = type;
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : JsonCodec.toBytes(value);
    }

    /** Throws {@link io.stocktracker.schemas.codec.CodecException} naming the bad field. */
    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : JsonCodec.fromBytes(bytes, type);
    }
}
