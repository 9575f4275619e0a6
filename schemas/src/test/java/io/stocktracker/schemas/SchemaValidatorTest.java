package io.stocktracker.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.validation.SchemaValidator;
import io.stocktracker.schemas.validation.SchemaViolationException;
import io.stocktracker.schemas.validation.Violation;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private final SchemaValidator validator = SchemaValidator.shared();

    @Test
    void namesWorkWithOrWithoutTheJsonSuffix() {
        String json = "{\"action\":\"ping\"}";

        assertThat(validator.isValid("ping", json)).isTrue();
        assertThat(validator.isValid("ping.json", json)).isTrue();
        assertThat(SchemaValidator.id("ping.json")).isEqualTo("https://stocktracker.io/schemas/ping.json");
    }

    @Test
    void anUnknownSchemaNameListsTheKnownOnes() {
        assertThatThrownBy(() -> validator.validate("quote", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quote").hasMessageContaining("stock-quote");
    }

    @Test
    void requireValidThrowsWithEveryViolationNamed() {
        String json = "{\"type\":\"price_update\",\"symbol\":\"bad one\",\"data\":{\"price\":\"1\"}}";

        assertThatThrownBy(() -> validator.requireValid("price-update", json))
                .isInstanceOfSatisfying(SchemaViolationException.class, e -> {
                    assertThat(e.schema()).isEqualTo("price-update");
                    assertThat(e.violations()).extracting(Violation::field).containsExactlyInAnyOrder("symbol", "data.price");
                    assertThat(e.getMessage()).contains("'symbol'").contains("'data.price'");
                });
    }

    @Test
    void envelopeErrorsComeOnlyFromTheBranchTheDiscriminatorChose() {
        List<Violation> violations = validator.validate("server-message",
                "{\"type\":\"error\",\"code\":\"OOPS\",\"message\":\"x\"}");

        assertThat(violations).extracting(Violation::field).containsExactly("code");
    }

    @Test
    void timestampsMustBeDateTimes() {
        assertThat(validator.validate("ping", "{\"action\":\"ping\",\"timestamp\":\"2024-01-10T10:30:00+05:30\"}")).isEmpty();
        assertThat(validator.validate("ping", "{\"action\":\"ping\",\"timestamp\":\"2024-01-10 10:30\"}"))
                .extracting(Violation::keyword).containsExactly("format");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean valid = i % 2 == 0;
                String json = valid ? "{\"action\":\"subscribe\",\"symbols\":[\"TCS\"]}" : "{\"action\":\"subscribe\",\"symbols\":\"TCS\"}";
                results.add(pool.submit(() -> validator.isValid("client-message", json) == valid));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
