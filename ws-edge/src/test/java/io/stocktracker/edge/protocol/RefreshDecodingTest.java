package io.stocktracker.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Refresh;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The refresh action's decoding and the tier-dependent subscription limit, without sockets. */
class RefreshDecodingTest {
    @Test
    void refreshDecodesWithItsTokenInJsonAndMsgpack() {
        assertThat(ProtocolCodec.decode("{\"action\":\"refresh\",\"token\":\"a.b.c\"}").message()).isEqualTo(new Refresh("a.b.c"));
        assertThat(ProtocolCodec.decodeMsgpack(WireFormat.msgpack(Map.of("action", "refresh", "token", "a.b.c"))).message())
                .isEqualTo(new Refresh("a.b.c"));
        assertThat(new Refresh("secret.secret.secret").toString()).doesNotContain("secret");
    }

    @Test
    void refreshWithoutAStringTokenIsInvalid() {
        for (String frame : List.of("{\"action\":\"refresh\"}", "{\"action\":\"refresh\",\"token\":42}",
                "{\"action\":\"refresh\",\"token\":\"\"}", "{\"action\":\"refresh\",\"token\":null}")) {
            ProtocolCodec.Decoded d = ProtocolCodec.decode(frame);
            assertThat(d.error()).as(frame).isNotNull();
            assertThat(d.error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(d.error().message()).contains("token");
        }
    }

    @Test
    void theConnectionsOwnLimitAndReasonApplyToSubscribes() {
        MessageValidator v = new MessageValidator(4096, 50, 200);
        MessageValidator.Checked checked = v.checkSubscribe(List.of("A", "B", "C"), Set.of("A"), s -> true, 2,
                "At most 2 subscriptions per connection on tier free");
        assertThat(checked.accepted()).containsExactly("A", "B");
        assertThat(checked.rejected()).singleElement().satisfies(r -> {
            assertThat(r.symbol()).isEqualTo("C");
            assertThat(r.code()).isEqualTo(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED);
            assertThat(r.reason()).isEqualTo("At most 2 subscriptions per connection on tier free");
        });
    }
}
