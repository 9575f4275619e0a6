package io.stocktracker.kit.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceIdTest {
    @Test
    void aGivenIdIsKeptAndAMissingOneComesFromTheHostWithASuffix() {
        assertThat(InstanceId.orFromHost(" edge-1 ", "edge", 64)).isEqualTo("edge-1");
        String a = InstanceId.orFromHost("", "edge", 64);
        String b = InstanceId.orFromHost(null, "edge", 64);
        assertThat(a).isNotEqualTo(b);
        assertThat(InstanceId.isValid(a, 64)).isTrue();
        assertThat(InstanceId.orFromHost("", "edge", 20)).hasSizeLessThanOrEqualTo(20);
    }

    @Test
    void onlyTheSafeAlphabetIsValid() {
        assertThat(InstanceId.isValid("a.b_c:d-9", 64)).isTrue();
        assertThat(InstanceId.isValid("edge one", 64)).isFalse();
        assertThat(InstanceId.isValid("x".repeat(65), 64)).isFalse();
        assertThat(InstanceId.problem("EDGE_ID", "a/b", 64)).contains("EDGE_ID", "1-64");
        assertThat(InstanceId.problem("EDGE_ID", "ab", 64)).isNull();
    }
}
