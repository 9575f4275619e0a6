package io.stocktracker.edge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Subscribe;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frames that declare more than they carry, or nest deeper than a message does: refused before any tree is built. */
class HostileFrameTest {

    @Test
    void lengthBombsAreInvalidWithoutAllocatingTheDeclaredLength() {
        for (String hex : List.of("db7ffffff06869", "c67ffffff06869", "c97ffffff0016869", "dd7ffffff001", "df7ffffff00101",
                "81a6616374696f6edb08000000", "81a6616374696f6edb0100000041", "da0400", "c5ffff00")) {
            ProtocolCodec.Decoded d = ProtocolCodec.decodeMsgpack(HexFormat.of().parseHex(hex));
            assertThat(d.error()).as(hex).isNotNull();
            assertThat(d.error().code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(d.error().message()).as(hex).startsWith("Malformed MessagePack: ");
        }
    }

    @Test
    void messagePackNestingIsCapped() {
        byte[] deep = new byte[ProtocolCodec.MAX_NESTING_DEPTH + 1];
        java.util.Arrays.fill(deep, (byte) 0x91); // fixarray of one, down to an empty one
        deep[deep.length - 1] = (byte) 0x90;
        assertThat(MessagePackBounds.problem(deep)).hasValue("nested deeper than " + ProtocolCodec.MAX_NESTING_DEPTH);
        assertThat(MessagePackBounds.problem(java.util.Arrays.copyOfRange(deep, 1, deep.length))).isEmpty();
    }

    @Test
    void trailingBytesAndTheNeverUsedByteAreRefused() {
        byte[] ping = WireFormat.msgpack(Map.of("action", "ping"));
        byte[] withTail = java.util.Arrays.copyOf(ping, ping.length + 1);
        assertThat(MessagePackBounds.problem(ping)).isEmpty();
        assertThat(ProtocolCodec.decodeMsgpack(ping).message()).isInstanceOf(Ping.class);
        assertThat(MessagePackBounds.problem(withTail)).hasValue("bytes after the message");
        assertThat(MessagePackBounds.problem(new byte[] {(byte) 0xc1})).isPresent();
        assertThat(MessagePackBounds.problem(new byte[0])).hasValue("truncated");
    }

    @Test
    void wellFormedMessagesStillDecode() {
        byte[] subscribe = WireFormat.msgpack(Map.of("action", "subscribe", "symbols", List.of("AAPL", "brk.b")));
        assertThat(ProtocolCodec.decodeMsgpack(subscribe).message()).isEqualTo(new Subscribe(List.of("AAPL", "brk.b"), null, null));
    }

    @Test
    void jsonDeeperThanTheCapOrWithAnAbsurdNumberIsMalformed() {
        String nested = "[".repeat(ProtocolCodec.MAX_NESTING_DEPTH - 1) + "]".repeat(ProtocolCodec.MAX_NESTING_DEPTH - 1);
        assertThat(ProtocolCodec.decode("{\"action\":\"ping\",\"x\":" + nested + "}").message()).isInstanceOf(Ping.class);
        assertThat(ProtocolCodec.decode("{\"action\":\"ping\",\"x\":[" + nested + "]}").error().message()).isEqualTo("Malformed JSON");
        assertThat(ProtocolCodec.decode("{\"action\":\"ping\",\"x\":" + "9".repeat(65) + "}").error().message())
                .isEqualTo("Malformed JSON");
        assertThat(ProtocolCodec.decode("{\"" + "k".repeat(257) + "\":1,\"action\":\"ping\"}").error().message())
                .isEqualTo("Malformed JSON");
    }
}
