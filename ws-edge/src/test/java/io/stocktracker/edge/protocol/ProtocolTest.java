package io.stocktracker.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import io.stocktracker.schemas.ws.Unsubscribe;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    final MessageValidator validator = new MessageValidator(100, 3, 4);

    @Test
    void decodesEveryClientAction() {
        assertThat(ProtocolCodec.decode("{\"action\":\"subscribe\",\"symbols\":[\"A\"],\"since\":{\"A\":3}}").message())
                .isEqualTo(new Subscribe(List.of("A"), null, java.util.Map.of("A", 3L)));
        assertThat(ProtocolCodec.decode("{\"action\":\"unsubscribe\",\"symbols\":[\"A\"],\"clientId\":\"x\"}").message())
                .isEqualTo(new Unsubscribe(List.of("A"), "x"));
        assertThat(ProtocolCodec.decode("{\"action\":\"ping\"}").message()).isInstanceOf(Ping.class);
    }

    @Test
    void aSubscribeWithABadOptionIsRefusedNamingItInJsonAndMessagePack() throws Exception {
        String json = "{\"action\":\"subscribe\",\"symbols\":[\"A\"],\"options\":{\"maxRate\":0}}";
        byte[] msgpack = WireFormat.msgpack(io.stocktracker.schemas.codec.JsonCodec.mapper().readTree(json));
        for (ProtocolCodec.Decoded d : List.of(ProtocolCodec.decode(json), ProtocolCodec.decodeMsgpack(msgpack))) {
            assertThat(d.error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(d.error().message()).startsWith("'maxRate' in 'options'").endsWith("nothing was subscribed");
        }
        assertThat(ProtocolCodec.decode("{\"action\":\"subscribe\",\"symbols\":[\"A\"],\"options\":{\"maxRate\":2,"
                + "\"fields\":[\"volume\"]},\"symbolOptions\":{\"a\":{\"minChangePercent\":1}}}").message())
                .isEqualTo(new Subscribe(List.of("A"), null, null, new SubscriptionOptions(2.0, null, List.of("volume")),
                        java.util.Map.of("a", new SubscriptionOptions(null, 1.0, null)), null));
    }

    @Test
    void mapsBadFramesToTheirErrorCodes() {
        assertThat(ProtocolCodec.decode("nope").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("42").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{}").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":7}").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":\"subscribe\"}").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":\"subscribe\",\"symbols\":[1]}").error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":\"ping\",\"timestamp\":\"yesterday\"}").error().code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":\"subscribe\",\"symbols\":[\"A\"],\"since\":{\"A\":\"x\"}}").error().code())
                .isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(ProtocolCodec.decode("{\"action\":\"publish\"}").error().code()).isEqualTo(ErrorCode.UNSUPPORTED_ACTION);
    }

    @Test
    void normalisesDeduplicatesAndRejectsSymbols() {
        MessageValidator.Checked c = validator.checkSymbols(List.of(" aapl", "AAPL", "brk.b", "no way", ""));
        assertThat(c.accepted()).containsExactly("AAPL", "BRK.B");
        assertThat(c.rejected()).extracting(r -> r.code()).containsOnly(ErrorCode.INVALID_SYMBOL);
        assertThat(c.rejected()).hasSize(2);
    }

    @Test
    void subscribeRespectsTheConnectionCapacityAndAllowedSymbols() {
        MessageValidator.Checked c = validator.checkSubscribe(List.of("A", "B", "C", "D"), Set.of("A", "X", "Y"), s -> !s.equals("C"));
        assertThat(c.accepted()).containsExactly("A", "B");
        assertThat(c.rejected()).extracting(r -> r.symbol() + ":" + r.code())
                .containsExactly("C:FORBIDDEN_SYMBOL", "D:SUBSCRIPTION_LIMIT_EXCEEDED");
    }

    @Test
    void checksFrameSizeInBytes() {
        assertThat(validator.frameTooLarge("x".repeat(100))).isFalse();
        assertThat(validator.frameTooLarge("x".repeat(101))).isTrue();
        assertThat(validator.frameTooLarge("é".repeat(60))).isTrue();
        assertThat(validator.tooManySymbols(List.of("A", "B", "C", "D"))).isTrue();
        assertThat(validator.tooManySymbols(List.of("A", "B", "C"))).isFalse();
    }
}
