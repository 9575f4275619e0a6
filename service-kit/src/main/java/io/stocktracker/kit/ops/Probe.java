package io.stocktracker.kit.ops;

import java.util.Map;

/** One answer of {@code /health} or {@code /ready}: 200 with the body when {@code ok}, 503 with it otherwise. */
public record Probe(boolean ok, Map<String, ?> body) {
}
