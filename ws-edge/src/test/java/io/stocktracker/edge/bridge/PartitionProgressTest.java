package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {
    private static final TopicPartition P0 = new TopicPartition("quotes.latest", 0);
    private static final TopicPartition P1 = new TopicPartition("quotes.latest", 1);

    @Test
    void commitsPastWhatWasPublished() {
        PartitionProgress p = new PartitionProgress();
        p.handled(P0, 10, true);
        p.handled(P0, 11, true);
        p.handled(P1, 3, true);
        assertThat(p.toCommit()).isEqualTo(Map.of(P0, 12L, P1, 4L));
        p.committed(p.toCommit());
        assertThat(p.toCommit()).as("nothing new").isEmpty();
    }

    @Test
    void anUnpublishedRecordPinsTheCommitPointUntilReplayed() {
        PartitionProgress p = new PartitionProgress();
        p.handled(P0, 10, true);
        p.handled(P0, 11, false); // Redis down: delivered locally only
        p.handled(P0, 12, false);
        p.handled(P1, 5, true);
        assertThat(p.toCommit()).isEqualTo(Map.of(P0, 11L, P1, 6L));
        p.committed(p.toCommit());
        assertThat(p.hasUnpublished()).isTrue();
        assertThat(p.takeReplay()).isEqualTo(Map.of(P0, 11L));
        assertThat(p.hasUnpublished()).isFalse();
        p.handled(P0, 11, true);
        p.handled(P0, 12, true);
        assertThat(p.toCommit()).isEqualTo(Map.of(P0, 13L));
    }

    @Test
    void revokeHandsOverTheFirstUnpublishedOffset() {
        PartitionProgress p = new PartitionProgress();
        p.handled(P0, 10, true);
        p.handled(P0, 11, false);
        p.handled(P0, 12, true);
        p.handled(P1, 7, true);
        assertThat(p.revoke(List.of(P0))).isEqualTo(Map.of(P0, 11L));
        assertThat(p.toCommit()).isEqualTo(Map.of(P1, 8L));
        assertThat(p.hasUnpublished()).isFalse();
    }

    @Test
    void revokeSkipsWhatIsAlreadyCommittedAndLostPartitionsAreForgotten() {
        PartitionProgress p = new PartitionProgress();
        p.handled(P0, 1, true);
        p.committed(p.toCommit());
        assertThat(p.revoke(List.of(P0))).isEmpty();
        p.handled(P1, 1, false);
        p.lose(List.of(P1));
        assertThat(p.toCommit()).isEmpty();
        assertThat(p.hasUnpublished()).isFalse();
    }
}
