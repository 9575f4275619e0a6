package io.stocktracker.launcher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.model.RawQuote;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayPartsTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void timesAcceptInstantsDatesEpochMillisAndRelativeSpans() {
        assertThat(TimeSpec.parse("2026-01-10T10:30:00Z", NOW)).isEqualTo(Instant.parse("2026-01-10T10:30:00Z"));
        assertThat(TimeSpec.parse("2026-01-10T10:30", NOW)).isEqualTo(Instant.parse("2026-01-10T10:30:00Z"));
        assertThat(TimeSpec.parse("2026-01-09", NOW)).isEqualTo(Instant.parse("2026-01-09T00:00:00Z"));
        assertThat(TimeSpec.parse("1000", NOW)).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(TimeSpec.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeSpec.parse("-15m", NOW)).isEqualTo(Instant.parse("2026-01-10T11:45:00Z"));
        assertThat(TimeSpec.parse("-7d", NOW)).isEqualTo(Instant.parse("2026-01-03T12:00:00Z"));
        assertThatThrownBy(() -> TimeSpec.parse("-3w", NOW)).hasMessageContaining("relative");
        assertThatThrownBy(() -> TimeSpec.parse("tuesday", NOW)).hasMessageContaining("not a time");
    }

    @Test
    void rangeStartsAtTheFromOffsetAndStopsAtTheToOffsetOrTheEnd() {
        Map<TopicPartition, Long> from = new HashMap<>();
        from.put(P0, 5L);
        from.put(P1, null); // nothing at or after from
        Map<TopicPartition, Long> end = Map.of(P0, 20L, P1, 7L);
        ReplayRange toEnd = ReplayRange.of(from, null, end);
        assertThat(toEnd.start()).containsExactly(Map.entry(P0, 5L));
        assertThat(toEnd.stop()).containsExactly(Map.entry(P0, 20L));
        assertThat(toEnd.total()).isEqualTo(15);

        Map<TopicPartition, Long> to = new HashMap<>();
        to.put(P0, 9L);
        assertThat(ReplayRange.of(from, to, end).stop()).containsEntry(P0, 9L);
        Map<TopicPartition, Long> toBefore = Map.of(P0, 5L);
        assertThat(ReplayRange.of(from, toBefore, end).isEmpty()).isTrue();
    }

    @Test
    void optionsRejectAnEndBeforeTheStart() {
        assertThatThrownBy(() -> new Replay.Options("b", ReplayTopic.RAW, NOW, NOW.minusSeconds(1), null, ReplayFormat.CSV))
                .hasMessageContaining("must be after");
    }

    @Test
    void csvQuotesCellsThatNeedIt() {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out, RawQuote.class);
        csv.row(new RawQuote("BRK.B", 1.5, null, null, null, null, null, null, null, NOW, "a \"quoted\", source", NOW));
        assertThat(out.toString()).isEqualTo("BRK.B,1.5,,,,,,,," + NOW + ",\"a \"\"quoted\"\", source\"," + NOW + "\r\n");
    }

    @Test
    void topicsAndFormatsParseByShortOrFullName() {
        assertThat(ReplayTopic.parse("ticks")).isEqualTo(ReplayTopic.TICKS);
        assertThat(ReplayTopic.parse("quotes.raw")).isEqualTo(ReplayTopic.RAW);
        assertThatThrownBy(() -> ReplayTopic.parse("quotes.latest")).hasMessageContaining("cannot replay");
        assertThat(ReplayFormat.parse("CSV")).isEqualTo(ReplayFormat.CSV);
        assertThatThrownBy(() -> ReplayFormat.parse("xml")).hasMessageContaining("jsonl, csv");
    }
}
