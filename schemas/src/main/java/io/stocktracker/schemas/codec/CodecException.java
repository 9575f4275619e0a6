package io.stocktracker.schemas.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.util.stream.Collectors;

/** A payload that could not be decoded; {@link #field()} names where (e.g. {@code data.price}), when known. */
public final class CodecException extends IllegalArgumentException {
    private final String field;

    private CodecException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }

    static CodecException from(Class<?> target, JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            field = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        if (e instanceof InvalidTypeIdException itie) {
            String property = itie.getMessage().contains("missing type id") ? "missing" : "unknown";
            String name = typeProperty(target);
            return new CodecException(property + " '" + name + "'" + (itie.getTypeId() != null ? ": " + itie.getTypeId() : ""),
                    name, e);
        }
        String where = field == null ? "" : "field '" + field + "': ";
        return new CodecException(where + e.getOriginalMessage(), field, e);
    }

    private static String typeProperty(Class<?> target) {
        var info = target.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeInfo.class);
        return info == null ? "type" : info.property();
    }
}
