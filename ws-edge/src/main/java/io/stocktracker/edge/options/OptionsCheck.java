package io.stocktracker.edge.options;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subscribe's {@code options} and {@code symbolOptions} checked on the decoded tree (JSON and MessagePack alike),
 * before they are bound: the problem to answer with {@code INVALID_MESSAGE}, naming the option, or empty. Unknown
 * option names are refused (the rest of the protocol tolerates unknown fields, but a misspelt {@code maxrate} would
 * silently mean every tick).
 */
public final class OptionsCheck {
    private static final String KNOWN = SubscriptionOptions.MAX_RATE + ", " + SubscriptionOptions.MIN_CHANGE_PERCENT + ", "
            + SubscriptionOptions.FIELDS;

    /** {@code subscribe} is an object whose {@code symbols} is already known to be an array of strings. */
    public static Optional<String> problem(JsonNode subscribe) {
        JsonNode all = subscribe.get(Subscribe.OPTIONS);
        if (all != null && !all.isNull()) {
            Optional<String> p = optionsProblem(all, Subscribe.OPTIONS);
            if (p.isPresent()) {
                return p;
            }
        }
        JsonNode each = subscribe.get(Subscribe.SYMBOL_OPTIONS);
        if (each == null || each.isNull()) {
            return Optional.empty();
        }
        if (!each.isObject()) {
            return fail("'" + Subscribe.SYMBOL_OPTIONS + "' must be an object: symbol -> options");
        }
        if (each.size() > Subscribe.MAX_SYMBOL_OPTIONS) {
            return fail("'" + Subscribe.SYMBOL_OPTIONS + "' may name at most " + Subscribe.MAX_SYMBOL_OPTIONS + " symbols");
        }
        Set<String> symbols = new HashSet<>();
        for (JsonNode s : subscribe.get("symbols")) {
            Symbols.normalize(s.asText()).ifPresent(symbols::add);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = each.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<String> symbol = Symbols.normalize(e.getKey());
            if (symbol.isEmpty() || !symbols.contains(symbol.get())) {
                return fail("'" + Subscribe.SYMBOL_OPTIONS + "' names '" + truncate(e.getKey()) + "', which is not one of 'symbols'");
            }
            if (!e.getValue().isNull()) {
                Optional<String> p = optionsProblem(e.getValue(), Subscribe.SYMBOL_OPTIONS + "." + symbol.get());
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> optionsProblem(JsonNode options, String where) {
        if (!options.isObject()) {
            return fail("'" + where + "' must be an object with " + KNOWN);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            String in = " in '" + where + "'";
            switch (e.getKey()) {
                case SubscriptionOptions.MAX_RATE -> {
                    // written so that NaN (MessagePack can carry one) fails too
                    if (!(v.isNumber() && v.doubleValue() >= SubscriptionOptions.MIN_MAX_RATE
                            && v.doubleValue() <= SubscriptionOptions.MAX_MAX_RATE)) {
                        return fail("'" + SubscriptionOptions.MAX_RATE + "'" + in + " must be a number of updates per second from "
                                + number(SubscriptionOptions.MIN_MAX_RATE) + " to " + number(SubscriptionOptions.MAX_MAX_RATE));
                    }
                }
                case SubscriptionOptions.MIN_CHANGE_PERCENT -> {
                    if (!(v.isNumber() && v.doubleValue() > 0 && v.doubleValue() <= SubscriptionOptions.MAX_MIN_CHANGE_PERCENT)) {
                        return fail("'" + SubscriptionOptions.MIN_CHANGE_PERCENT + "'" + in
                                + " must be a number above 0 and at most " + number(SubscriptionOptions.MAX_MIN_CHANGE_PERCENT));
                    }
                }
                case SubscriptionOptions.FIELDS -> {
                    Optional<String> p = fieldsProblem(v, in);
                    if (p.isPresent()) {
                        return p;
                    }
                }
                default -> {
                    return fail("Unknown option '" + truncate(e.getKey()) + "'" + in + "; options are " + KNOWN);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fieldsProblem(JsonNode fields, String in) {
        String name = "'" + SubscriptionOptions.FIELDS + "'";
        if (!fields.isArray() || fields.isEmpty() || fields.size() > SubscriptionOptions.MAX_FIELDS) {
            return fail(name + in + " must be an array of 1 to " + SubscriptionOptions.MAX_FIELDS + " quote field names");
        }
        for (JsonNode f : fields) {
            if (!f.isTextual() || !QuoteFields.known(f.asText())) {
                return fail("Unknown field " + (f.isTextual() ? "'" + truncate(f.asText()) + "'" : f.getNodeType().name().toLowerCase())
                        + " in " + name + in + "; quote fields are " + String.join(", ", QuoteFields.NAMES));
            }
        }
        return Optional.empty();
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Optional<String> fail(String problem) {
        return Optional.of(problem);
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private OptionsCheck() {}
}
