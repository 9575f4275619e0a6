package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserQuotasTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicLong clock = new AtomicLong();

    @Test
    void capsConnectionsPerSubjectIndependentlyOfOtherSubjects() {
        UserQuotas quotas = new UserQuotas(2, 10, 10, clock::get);
        assertThat(quotas.tryAcquireConnection("alice")).isTrue();
        assertThat(quotas.tryAcquireConnection("alice")).isTrue();
        assertThat(quotas.tryAcquireConnection("alice")).isFalse();
        assertThat(quotas.tryAcquireConnection("bob")).isTrue();
        assertThat(quotas.connections("alice")).isEqualTo(2);

        quotas.release("alice");
        assertThat(quotas.tryAcquireConnection("alice")).isTrue();
    }

    @Test
    void aUserIsForgottenWithItsLastConnection() {
        UserQuotas quotas = new UserQuotas(2, 10, 10, clock::get);
        quotas.tryAcquireConnection("alice");
        quotas.tryAcquireConnection("alice");
        quotas.release("alice");
        assertThat(quotas.users()).isEqualTo(1);
        quotas.release("alice");
        assertThat(quotas.users()).isZero();
        assertThat(quotas.connections("alice")).isZero();
        quotas.release("alice");
        assertThat(quotas.users()).as("an extra release does not go negative").isZero();
    }

    @Test
    void connectionsWithoutASubjectAreNeitherCountedNorLimited() {
        UserQuotas quotas = new UserQuotas(1, 1, 1, clock::get);
        for (int i = 0; i < 5; i++) {
            assertThat(quotas.tryAcquireConnection(null)).isTrue();
            assertThat(quotas.tryAcquireMessage(null, 0)).isTrue();
        }
        assertThat(quotas.users()).isZero();
    }

    @Test
    void oneMessageBucketIsSharedByAllOfAUsersConnections() {
        UserQuotas quotas = new UserQuotas(5, 2, 4, clock::get);
        quotas.tryAcquireConnection("alice");
        quotas.tryAcquireConnection("alice");
        quotas.tryAcquireConnection("bob");
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            // two connections of alice taking turns draw on the same 4 tokens
            if (quotas.tryAcquireMessage("alice", 0)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(4);
        assertThat(quotas.tryAcquireMessage("bob", 0)).as("bob has his own bucket").isTrue();
        assertThat(quotas.tryAcquireMessage("alice", SECOND / 2)).as("refilled at 2/s").isTrue();
        assertThat(quotas.tryAcquireMessage("alice", SECOND / 2)).isFalse();
    }
}
