package io.stocktracker.schemas.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A document that does not match its schema; the message lists every violation with its field. */
public final class SchemaViolationException extends IllegalArgumentException {
    private final String schema;
    private final List<Violation> violations;

    SchemaViolationException(String schema, List<Violation> violations) {
        super("invalid " + schema + ": " + violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        this.schema = schema;
        this.violations = List.copyOf(violations);
    }

    public String schema() {
        return schema;
    }

    public List<Violation> violations() {
        return violations;
    }
}
