package io.stocktracker.schemas.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A payload that could not be decoded; {@link #field()} names where (e.g. {@code data.price}), when known. */
public final class CodecException extends IllegalArgumentException {
    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");

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
            String where = field == null ? name : field + "." + name;
            return new CodecException(property + " '" + where + "'" + (itie.getTypeId() != null ? ": " + itie.getTypeId() : ""),
                    where, e);
        }
        Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(e.getOriginalMessage()));
        if (missing.find()) {
            // Jackson reports a missing required property at its parent: name the property itself
            String name = missing.group(1);
            if (field == null) {
                field = name;
            } else if (!field.equals(name) && !field.endsWith("." + name)) {
                field = field + "." + name;
            }
            return new CodecException("field '" + field + "': required but missing", field, e);
        }
        String where = field == null ? "" : "field '" + field + "': ";
        return new CodecException(where + e.getOriginalMessage(), field, e);
    }

    /** The type-id property of a polymorphic target ("type" or "action"), looked up on the class and its interfaces. */
    private static String typeProperty(Class<?> target) {
        for (Class<?> c = target; c != null; c = c.getSuperclass()) {
            JsonTypeInfo info = c.getAnnotation(JsonTypeInfo.class);
            if (info != null) {
                return info.property();
            }
            for (Class<?> i : c.getInterfaces()) {
                JsonTypeInfo fromInterface = i.getAnnotation(JsonTypeInfo.class);
                if (fromInterface != null) {
                    return fromInterface.property();
                }
            }
        }
        return "type";
    }
}
