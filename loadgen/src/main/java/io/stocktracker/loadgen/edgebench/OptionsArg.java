package io.stocktracker.loadgen.edgebench;

import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --options maxRate=2,minChangePercent=0.5,fields=price,change}: the subscription options every bench client
 * subscribes with. A word without {@code =} after {@code fields=} is one more field. The latency is the client's
 * read() minus the quote's {@code ingestedAt}, so a {@code fields} list always gets {@code ingestedAt} added.
 */
final class OptionsArg {
    static final String LATENCY_FIELD = "ingestedAt";

    static SubscriptionOptions parse(String text) {
        Double maxRate = null;
        Double minChange = null;
        List<String> fields = null;
        String key = null;
        for (String token : text.split(",")) {
            String t = token.trim();
            int eq = t.indexOf('=');
            if (eq < 0) {
                if (!SubscriptionOptions.FIELDS.equals(key) || t.isEmpty()) {
                    throw new IllegalArgumentException("--options: '" + t + "' is not key=value (keys: maxRate, minChangePercent, fields)");
                }
                fields.add(t);
                continue;
            }
            key = t.substring(0, eq);
            String value = t.substring(eq + 1);
            switch (key) {
                case SubscriptionOptions.MAX_RATE -> maxRate = Double.parseDouble(value);
                case SubscriptionOptions.MIN_CHANGE_PERCENT -> minChange = Double.parseDouble(value);
                case SubscriptionOptions.FIELDS -> {
                    fields = new ArrayList<>();
                    fields.add(value);
                }
                default -> throw new IllegalArgumentException("--options: unknown key '" + key
                        + "' (keys: maxRate, minChangePercent, fields)");
            }
        }
        if (fields != null && !fields.contains(LATENCY_FIELD)) {
            fields.add(LATENCY_FIELD);
        }
        return new SubscriptionOptions(maxRate, minChange, fields == null ? null : List.copyOf(fields));
    }

    private OptionsArg() {}
}
