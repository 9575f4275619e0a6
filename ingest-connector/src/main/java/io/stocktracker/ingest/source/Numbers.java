package io.stocktracker.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;

/** Providers send numbers as JSON strings ("148.79", "0.5000%"); this reads either form. */
final class Numbers {

    /** The field as a finite double, or null when absent, empty or not a number. */
    static Double decimal(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            double v = node.doubleValue();
            return Double.isFinite(v) ? v : null;
        }
        String text = node.asText().trim();
        if (text.endsWith("%")) {
            text = text.substring(0, text.length() - 1).trim();
        }
        if (text.isEmpty()) {
            return null;
        }
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Long whole(JsonNode parent, String field) {
        Double d = decimal(parent, field);
        return d == null || d < 0 ? null : Math.round(d);
    }

    private Numbers() {}
}
