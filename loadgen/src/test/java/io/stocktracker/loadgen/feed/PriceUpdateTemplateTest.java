package io.stocktracker.loadgen.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PriceUpdateTemplateTest {

    @Test
    void rendersThePriceUpdateTheEdgeDecodesWithThePublishInstantAsIngestedAndProcessedAt() {
        Instant at = Instant.parse("2026-12-07T13:09:41.123456789Z");
        ServerMessage m = JsonCodec.fromBytes(PriceUpdateTemplate.render("EB042", 1_765_000_000_000_000_007L, 104.73, "edge-bench", at),
                ServerMessage.class);
        assertThat(m).isInstanceOf(PriceUpdate.class);
        PriceUpdate u = (PriceUpdate) m;
        assertThat(u.symbol()).isEqualTo("EB042");
        assertThat(u.source()).isEqualTo("edge-bench");
        assertThat(u.timestamp()).isEqualTo(at);
        assertThat(u.data().symbol()).isEqualTo("EB042");
        assertThat(u.data().price()).isEqualTo(104.73);
        assertThat(u.data().seq()).isEqualTo(1_765_000_000_000_000_007L);
        assertThat(u.data().ingestedAt()).isEqualTo(at);
        assertThat(u.data().processedAt()).isEqualTo(at);
        assertThat(u.data().timestamp()).isEqualTo(at);
    }

    @Test
    void anInstantOnAWholeSecondStaysReadable() {
        Instant at = Instant.parse("2026-12-07T13:09:41Z");
        PriceUpdate u = (PriceUpdate) JsonCodec.fromBytes(PriceUpdateTemplate.render("A", 1, 1.0, "s", at), ServerMessage.class);
        assertThat(u.data().ingestedAt()).isEqualTo(at);
    }
}
