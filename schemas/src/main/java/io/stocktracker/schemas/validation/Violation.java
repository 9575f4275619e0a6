package io.stocktracker.schemas.validation;

/**
 * One way a document breaks its schema. {@code field} is the offending field as a dotted path
 * ({@code symbols}, {@code data.price}, {@code updates[1].symbol}); empty for the document itself.
 */
public record Violation(String field, String keyword, String message) {
    @Override
    public String toString() {
        return message;
    }
}
