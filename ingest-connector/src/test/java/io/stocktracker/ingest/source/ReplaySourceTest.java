package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.ingest.MutableClock;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySourceTest {
    private static final String CSV = """
            timestamp,symbol,price,volume
            2024-01-10T14:30:00Z,AAPL,100.00,1000
            2024-01-10T14:30:10Z,AAPL,101.00,2000
            2024-01-10T14:30:20Z,AAPL,102.00,3000
            2024-01-10T14:30:05Z,MSFT,300.00,500
            not-a-time,AAPL,1.0,1
            2024-01-10T14:30:30Z,AAPL,-5,1
            """;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void shippedSampleHasHundredsOfQuotesForAHandfulOfSymbols() {
        ReplayFile sample = ReplayFile.sample();

        assertThat(sample.entries()).hasSizeGreaterThanOrEqualTo(300);
        assertThat(sample.skippedLines()).isZero();
        assertThat(new ReplaySource(sample, 1, true, clock).symbols()).contains("AAPL", "MSFT", "IBM").hasSizeBetween(4, 10);
    }

    @Test
    void csvIsReadByHeaderAndBadLinesAreSkippedNotFatal() throws IOException {
        ReplayFile file = csv(CSV);

        assertThat(file.entries()).hasSize(4);
        assertThat(file.skippedLines()).isEqualTo(2);
        assertThat(file.entries()).extracting(ReplayFile.Entry::time).isSorted();
    }

    @Test
    void fileWithoutAnyGoodLineIsRejected() {
        assertThatThrownBy(() -> csv("timestamp,symbol,price\nx,y,z\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no valid quote");
    }

    @Test
    void tenTimesSpeedMovesTheReplayClockTenSecondsPerSecond() throws IOException {
        ReplaySource replay = new ReplaySource(csv(CSV), ReplaySource.parseSpeed("10x"), false, clock);

        assertThat(price(replay, "AAPL")).isEqualTo(100.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(price(replay, "AAPL")).isEqualTo(101.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(price(replay, "AAPL")).isEqualTo(102.0);
        clock.advance(Duration.ofSeconds(60));
        assertThat(price(replay, "AAPL")).as("without loop the last quote stays").isEqualTo(102.0);
    }

    @Test
    void loopStartsOverAfterTheEnd() throws IOException {
        ReplaySource replay = new ReplaySource(csv(CSV), 1, true, clock);

        assertThat(price(replay, "AAPL")).isEqualTo(100.0);
        clock.advance(Duration.ofSeconds(20));
        assertThat(price(replay, "AAPL")).isEqualTo(102.0);
        clock.advance(Duration.ofSeconds(2)); // span is 20 s + 1 s: 22 s wraps to 1 s
        assertThat(price(replay, "AAPL")).isEqualTo(100.0);
    }

    @Test
    void maxSpeedAdvancesOneRecordPerFetchAndLoops() throws IOException {
        ReplaySource replay = new ReplaySource(csv(CSV), ReplaySource.parseSpeed("max"), true, clock);

        assertThat(List.of(price(replay, "AAPL"), price(replay, "AAPL"), price(replay, "AAPL"), price(replay, "AAPL")))
                .containsExactly(100.0, 101.0, 102.0, 100.0);
    }

    @Test
    void emittedQuotesCarryWallClockTimeAndReplaySource() throws IOException {
        ReplaySource replay = new ReplaySource(csv(CSV), 1, true, clock);

        var quote = ((FetchResult.Fetched) replay.fetch(List.of("MSFT")).get("MSFT")).quote();

        assertThat(quote.timestamp()).isEqualTo(clock.instant());
        assertThat(quote.source()).isEqualTo("replay");
        assertThat(quote.volume()).isEqualTo(500L);
    }

    @Test
    void symbolNotInTheFileIsUnknown() throws IOException {
        ReplaySource replay = new ReplaySource(csv(CSV), 1, true, clock);

        FetchResult r = replay.fetch(List.of("TSLA")).get("TSLA");

        assertThat(((FetchResult.Failed) r).failure().reason()).isEqualTo(Reason.UNKNOWN_SYMBOL);
    }

    @Test
    void speedParsesMultipliersAndMax() {
        assertThat(ReplaySource.parseSpeed("1x")).isEqualTo(1.0);
        assertThat(ReplaySource.parseSpeed("10")).isEqualTo(10.0);
        assertThat(ReplaySource.parseSpeed("MAX")).isInfinite();
        assertThatThrownBy(() -> ReplaySource.parseSpeed("0x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplaySource.parseSpeed("fast")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ReplayFile csv(String text) throws IOException {
        return ReplayFile.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.csv");
    }

    private static double price(ReplaySource replay, String symbol) {
        return ((FetchResult.Fetched) replay.fetch(List.of(symbol)).get(symbol)).quote().price();
    }
}
