package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserQuotasTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicLong clock = new AtomicLong();

    @Test
    void capsConnectionsPerSubjectIndependentlyOfOtherSubjects() {
        UserQuotas quotas = new UserQuotas(2, 10, 10, clock::get);
        assertThat(quotas.acquireConnection("alice").admitted()).isTrue();
        assertThat(quotas.acquireConnection("alice").admitted()).isTrue();
        assertThat(quotas.acquireConnection("alice").admitted()).isFalse();
        assertThat(quotas.acquireConnection("bob").admitted()).isTrue();
        assertThat(quotas.connections("alice")).isEqualTo(2);

        quotas.release("alice");
        assertThat(quotas.acquireConnection("alice").admitted()).isTrue();
    }

    @Test
    void aUserIsForgottenWithItsLastConnection() {
        UserQuotas quotas = new UserQuotas(2, 10, 10, clock::get);
        quotas.acquireConnection("alice").admitted();
        quotas.acquireConnection("alice").admitted();
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
            assertThat(quotas.acquireConnection(null).admitted()).isTrue();
            assertThat(quotas.tryAcquireMessage(null, 0)).isTrue();
        }
        assertThat(quotas.users()).isZero();
    }

    @Test
    void oneMessageBucketIsSharedByAllOfAUsersConnections() {
        UserQuotas quotas = new UserQuotas(5, 2, 4, clock::get);
        quotas.acquireConnection("alice").admitted();
        quotas.acquireConnection("alice").admitted();
        quotas.acquireConnection("bob").admitted();
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

    @Test
    void aUsersBucketOutlivesItsLastConnectionForTheIdleTimeSoReconnectingDoesNotRefillIt() {
        UserQuotas quotas = new UserQuotas(2, 1, 3, 60 * SECOND, clock::get);
        quotas.acquireConnection("alice").admitted();
        for (int i = 0; i < 3; i++) {
            assertThat(quotas.tryAcquireMessage("alice", clock.get())).isTrue();
        }
        assertThat(quotas.tryAcquireMessage("alice", clock.get())).isFalse();
        quotas.release("alice");
        assertThat(quotas.users()).as("not connected any more").isZero();
        assertThat(quotas.remembered()).isEqualTo(1);

        clock.addAndGet(SECOND / 10);
        quotas.acquireConnection("alice").admitted();
        assertThat(quotas.tryAcquireMessage("alice", clock.get())).as("reconnected: the same empty bucket").isFalse();
        quotas.release("alice");

        clock.addAndGet(61 * SECOND);
        assertThat(quotas.sweep()).isEqualTo(1);
        assertThat(quotas.remembered()).isZero();
        quotas.acquireConnection("alice").admitted();
        assertThat(quotas.tryAcquireMessage("alice", clock.get())).as("after the idle time: a fresh bucket").isTrue();
    }

    @Test
    void aUserWhoReconnectsBeforeTheSweepKeepsItsEntry() {
        UserQuotas quotas = new UserQuotas(2, 1, 1, SECOND, clock::get);
        quotas.acquireConnection("alice").admitted();
        quotas.release("alice");
        clock.addAndGet(SECOND / 2);
        quotas.acquireConnection("alice").admitted();
        clock.addAndGet(5 * SECOND);
        assertThat(quotas.sweep()).as("connected users are never swept").isZero();
        assertThat(quotas.connections("alice")).isEqualTo(1);
    }

    @Test
    void theEdgesOwnCapIsCheckedBeforeTheClusterWhichSeesAbsoluteCountsInOrder() {
        List<String> calls = new ArrayList<>();
        UserQuotas.Cluster.Verdict[] verdict = {UserQuotas.Cluster.Verdict.ADMITTED};
        UserQuotas quotas = new UserQuotas(2, 10, 10, clock::get);
        quotas.useCluster(new UserQuotas.Cluster() {
            @Override
            public Verdict tryAdmit(String subject, int newCount) {
                calls.add("admit " + subject + " " + newCount);
                return verdict[0];
            }

            @Override
            public void changed(String subject, int newCount) {
                calls.add("set " + subject + " " + newCount);
            }
        });
        assertThat(quotas.acquireConnection("alice")).isEqualTo(UserQuotas.Admission.ADMITTED);
        assertThat(quotas.acquireConnection("alice")).isEqualTo(UserQuotas.Admission.ADMITTED);
        assertThat(quotas.acquireConnection("alice")).isEqualTo(UserQuotas.Admission.REFUSED_ON_EDGE);
        quotas.release("alice");
        verdict[0] = UserQuotas.Cluster.Verdict.REFUSED;
        assertThat(quotas.acquireConnection("alice")).isEqualTo(UserQuotas.Admission.REFUSED_IN_CLUSTER);
        assertThat(quotas.connections("alice")).as("a cluster refusal takes nothing locally").isEqualTo(1);
        verdict[0] = UserQuotas.Cluster.Verdict.UNAVAILABLE;
        assertThat(quotas.acquireConnection("alice")).as("Redis unreachable: this edge's cap decides").isEqualTo(UserQuotas.Admission.ADMITTED);
        assertThat(quotas.acquireConnection("alice")).isEqualTo(UserQuotas.Admission.REFUSED_ON_EDGE);
        quotas.release("alice");
        quotas.release("alice");
        quotas.release("alice");
        assertThat(calls).containsExactly("admit alice 1", "admit alice 2", "set alice 1", "admit alice 2", "admit alice 2",
                "set alice 1", "set alice 0");
    }

    @Test
    void everyKnownUserIsHandedOverForARewriteUnderItsLock() {
        UserQuotas quotas = new UserQuotas(3, 10, 10, 60 * SECOND, clock::get);
        quotas.acquireConnection("alice").admitted();
        quotas.acquireConnection("alice").admitted();
        quotas.acquireConnection("bob").admitted();
        quotas.release("bob");
        java.util.Map<String, Integer> written = new java.util.TreeMap<>();
        assertThat(quotas.forEachUserLocked(written::put)).isTrue();
        assertThat(written).containsEntry("alice", 2).containsEntry("bob", 0).hasSize(2);
        assertThat(quotas.connectedSnapshot()).containsExactlyEntriesOf(java.util.Map.of("alice", 2));
        written.clear();
        quotas.forUsersLocked(List.of("carol"), written::put);
        assertThat(written).as("a user this edge does not know has 0 here").containsExactlyEntriesOf(java.util.Map.of("carol", 0));
    }
}
