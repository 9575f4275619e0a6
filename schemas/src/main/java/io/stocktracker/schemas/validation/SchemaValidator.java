package io.stocktracker.schemas.validation;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Validates JSON documents against the project's JSON Schemas (draft 2020-12, on the classpath under
 * {@code schemas/}), e.g. {@code SchemaValidator.shared().validate("price-update", json)}. Other modules use
 * it in tests to prove that what they put on a wire is what the contract says.
 */
public final class SchemaValidator {
    /** The {@code $id} prefix of every schema; mapped to the classpath so nothing is fetched over the network. */
    public static final String BASE_URI = "https://stocktracker.io/schemas/";
    /** Where the schema files live on the classpath. */
    public static final String CLASSPATH_DIR = "schemas/";

    public static final String COMMON = "common";
    public static final String STOCK_QUOTE = "stock-quote";
    public static final String RAW_QUOTE = "raw-quote";
    public static final String BAR = "bar";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String PING = "ping";
    public static final String CLIENT_MESSAGE = "client-message";
    public static final String CONNECTED = "connected";
    public static final String PRICE_UPDATE = "price-update";
    public static final String BATCH_UPDATE = "batch-update";
    public static final String ERROR = "error";
    public static final String PONG = "pong";
    public static final String SUBSCRIBED = "subscribed";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String SERVER_MESSAGE = "server-message";
    public static final String UPDATES_MESSAGE = "updates-message";
    public static final String SUBSCRIPTION_CHANGE = "subscription-change";
    public static final String CONTROL = "control";
    public static final String REFRESH = "refresh";
    public static final String TOKEN_EXPIRING = "token-expiring";
    public static final String TOKEN_REFRESHED = "token-refreshed";
    public static final String ALERT = "alert";
    public static final String ALERTS = "alerts";
    public static final String ALERT_TRIGGERED = "alert-triggered";
    public static final String ALERT_RULE = "alert-rule";
    public static final String ALERT_DEFINITION = "alert-definition";
    public static final String ALERT_FIRED = "alert-fired";
    public static final String BAR_UPDATE = "bar-update";

    /** Every schema file, by name (the file name without {@code .json}). */
    public static final List<String> SCHEMAS = List.of(COMMON, STOCK_QUOTE, RAW_QUOTE, BAR,
            SUBSCRIBE, UNSUBSCRIBE, PING, CLIENT_MESSAGE,
            CONNECTED, PRICE_UPDATE, BATCH_UPDATE, ERROR, PONG, SUBSCRIBED, UNSUBSCRIBED, SERVER_MESSAGE,
            UPDATES_MESSAGE, SUBSCRIPTION_CHANGE, CONTROL, REFRESH, TOKEN_EXPIRING, TOKEN_REFRESHED,
            ALERT, ALERTS, ALERT_TRIGGERED, ALERT_RULE, ALERT_DEFINITION, ALERT_FIRED, BAR_UPDATE);

    private static final SchemaValidator SHARED = new SchemaValidator();

    private final SchemaRegistry registry;
    private final ConcurrentMap<String, Schema> schemas = new ConcurrentHashMap<>();

    private SchemaValidator() {
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaIdResolvers(resolvers -> resolvers.mapPrefix(BASE_URI, "classpath:" + CLASSPATH_DIR))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        // 2020-12 treats "format" as an annotation by default; timestamps must really be date-times
                        .formatAssertionsEnabled(true)
                        .locale(Locale.ROOT)
                        .build()));
    }

    /** The one instance: schemas are loaded once and are safe to use from any thread. */
    public static SchemaValidator shared() {
        return SHARED;
    }

    /**
     * Every violation of {@code json} against the schema {@code name} ({@code "subscribe"} or
     * {@code "subscribe.json"}); empty when it is valid. Malformed JSON is one violation at the root.
     */
    public List<Violation> validate(String name, String json) {
        Schema schema = schema(name);
        List<Error> errors;
        try {
            errors = schema.validate(json, InputFormat.JSON);
        } catch (RuntimeException e) {
            // the validator's own parser (Jackson 3) rejected the text
            return List.of(new Violation("", "json", "not valid JSON: " + firstLine(e.getMessage())));
        }
        return explain(errors);
    }

    public boolean isValid(String name, String json) {
        return validate(name, json).isEmpty();
    }

    /** Throws {@link SchemaViolationException} listing every violation unless {@code json} is valid. */
    public void requireValid(String name, String json) {
        List<Violation> violations = validate(name, json);
        if (!violations.isEmpty()) {
            throw new SchemaViolationException(normalize(name), violations);
        }
    }

    /** The {@code $id} of a schema, e.g. {@code https://stocktracker.io/schemas/subscribe.json}. */
    public static String id(String name) {
        return BASE_URI + normalize(name) + ".json";
    }

    private Schema schema(String name) {
        String key = normalize(name);
        if (!SCHEMAS.contains(key)) {
            throw new IllegalArgumentException("no schema named '" + name + "'; known: " + SCHEMAS);
        }
        return schemas.computeIfAbsent(key, k -> {
            Schema s = registry.getSchema(SchemaLocation.of(id(k)));
            s.initializeValidators();
            return s;
        });
    }

    private static String normalize(String name) {
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    /**
     * The validator reports every branch of an envelope's oneOf; a branch whose discriminator ({@code type}
     * or {@code action} const) failed is not the message the sender meant, so its errors only bury the
     * real one. Drop those, drop the oneOf summary when something more precise remains, and de-duplicate.
     */
    private static List<Violation> explain(List<Error> errors) {
        Set<String> otherBranches = new HashSet<>();
        for (Error error : errors) {
            String evaluation = String.valueOf(error.getEvaluationPath());
            int branch = evaluation.lastIndexOf("/oneOf/");
            if ("const".equals(error.getKeyword()) && branch >= 0 && error.getInstanceLocation().getNameCount() == 1) {
                int end = evaluation.indexOf('/', branch + "/oneOf/".length());
                otherBranches.add(end < 0 ? evaluation : evaluation.substring(0, end + 1));
            }
        }
        Map<String, Violation> kept = new LinkedHashMap<>();
        List<Violation> summaries = new ArrayList<>();
        for (Error error : errors) {
            String evaluation = String.valueOf(error.getEvaluationPath());
            if (otherBranches.stream().anyMatch(evaluation::startsWith)) {
                continue;
            }
            Violation violation = toViolation(error);
            if ("oneOf".equals(error.getKeyword())) {
                summaries.add(violation);
            } else {
                kept.putIfAbsent(violation.message(), violation);
            }
        }
        return kept.isEmpty() ? summaries : List.copyOf(kept.values());
    }

    private static Violation toViolation(Error error) {
        String field = path(error);
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            field = field.isEmpty() ? error.getProperty() : field + "." + error.getProperty();
        }
        String where = field.isEmpty() ? "(document)" : "'" + field + "'";
        return new Violation(field, error.getKeyword(), where + ": " + error.getMessage());
    }

    /** The instance location as a dotted path: {@code data.price}, {@code updates[1].symbol}; empty for the root. */
    private static String path(Error error) {
        NodePath location = error.getInstanceLocation();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(element);
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
