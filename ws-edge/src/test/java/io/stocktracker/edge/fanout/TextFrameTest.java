package io.stocktracker.edge.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFrameTest {
    @Test
    void validUtf8IsSharedAsItCameWithoutACopy() {
        byte[] bytes = "{\"symbol\":\"NESN.SW\",\"source\":\"Zürich €\"}".getBytes(StandardCharsets.UTF_8);
        TextFrame frame = TextFrame.ofUtf8(bytes);
        assertThat(frame.bytes()).isSameAs(bytes);
        assertThat(frame.text()).contains("Zürich €");
    }

    @Test
    void invalidUtf8NeverReachesTheWireAsIs() throws Exception {
        // a lone continuation byte, a truncated sequence and a UTF-8-encoded surrogate (CESU): RFC 6455 clients fail on each
        byte[][] hostile = {
                {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}};
        for (byte[] bytes : hostile) {
            TextFrame frame = TextFrame.ofUtf8(bytes);
            assertThat(frame.bytes()).isNotSameAs(bytes);
            assertThat(frame.text()).contains("\uFFFD");
            assertThat(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frame.bytes())).toString())
                    .isEqualTo(frame.text());
        }
    }

    @Test
    void everyWriteGetsItsOwnPositionOverTheSameBytes() {
        TextFrame frame = TextFrame.of("{\"type\":\"price_update\"}");
        ByteBuffer first = frame.payload();
        first.position(first.limit());
        assertThat(frame.payload().remaining()).isEqualTo(frame.length());
    }
}
