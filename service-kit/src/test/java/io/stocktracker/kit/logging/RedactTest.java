package io.stocktracker.kit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void urlKeepsEverythingButThePassword() {
        assertThat(Redact.url("redis://:s3cret@redis:6379")).isEqualTo("redis://:***@redis:6379");
        assertThat(Redact.url("redis://edge:s3cret@redis:6379/0")).isEqualTo("redis://edge:***@redis:6379/0");
        assertThat(Redact.url("rediss://s3cret@redis:6380")).isEqualTo("rediss://***@redis:6380");
        assertThat(Redact.url("redis://redis:6379")).isEqualTo("redis://redis:6379");
    }

    @Test
    void anUnparseableUrlPrintsAsMaskedBecauseItsPasswordCannotBeFound() {
        assertThat(Redact.url("redis://:pa ss@redis:6379")).isEqualTo("***");
    }

    @Test
    void secretSaysOnlyWhetherItIsSet() {
        assertThat(Redact.secret("k3y")).isEqualTo("***");
        assertThat(Redact.secret("")).isEmpty();
        assertThat(Redact.secret(null)).isEmpty();
    }
}
