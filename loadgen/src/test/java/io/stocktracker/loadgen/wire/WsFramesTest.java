package io.stocktracker.loadgen.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WsFramesTest {
    private final WsFrames.Header header = new WsFrames.Header();

    @Test
    void readsTheThreeLengthEncodingsOfAServerFrame() {
        assertThat(header.parse(new byte[] {(byte) 0x81, 5, 'h', 'e', 'l', 'l', 'o'}, 0, 7)).isTrue();
        assertThat(header.fin).isTrue();
        assertThat(header.opcode).isEqualTo(WsFrames.TEXT);
        assertThat(header.headerLength).isEqualTo(2);
        assertThat(header.payloadLength).isEqualTo(5);
        assertThat(header.masked).isFalse();

        assertThat(header.parse(new byte[] {0x01, 126, 0x01, 0x00}, 0, 4)).isTrue();
        assertThat(header.fin).isFalse();
        assertThat(header.headerLength).isEqualTo(4);
        assertThat(header.payloadLength).isEqualTo(256);

        assertThat(header.parse(new byte[] {(byte) 0x89, 127, 0, 0, 0, 0, 0, 1, 0, 0}, 0, 10)).isTrue();
        assertThat(header.opcode).isEqualTo(WsFrames.PING);
        assertThat(header.headerLength).isEqualTo(10);
        assertThat(header.payloadLength).isEqualTo(65_536);
    }

    @Test
    void waitsForAWholeHeader() {
        assertThat(header.parse(new byte[] {(byte) 0x81}, 0, 1)).isFalse();
        assertThat(header.parse(new byte[] {(byte) 0x81, 126, 1}, 0, 3)).isFalse();
        assertThat(header.parse(new byte[] {(byte) 0x81, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3}, 0, 13)).isFalse();
    }

    @Test
    void aClientFrameIsMaskedAndUnmasksToItsPayload() {
        for (int n : new int[] {0, 5, 125, 126, 65_535, 65_536}) {
            byte[] payload = new byte[n];
            for (int i = 0; i < n; i++) {
                payload[i] = (byte) (i * 31);
            }
            byte[] frame = WsFrames.clientFrame(WsFrames.TEXT, payload);
            assertThat(header.parse(frame, 0, frame.length)).isTrue();
            assertThat(header.masked).isTrue();
            assertThat(header.fin).isTrue();
            assertThat(header.payloadLength).isEqualTo(n);
            assertThat(frame.length).isEqualTo(header.headerLength + n);
            byte[] unmasked = new byte[n];
            for (int i = 0; i < n; i++) {
                unmasked[i] = (byte) (frame[header.headerLength + i] ^ header.mask[i & 3]);
            }
            assertThat(unmasked).isEqualTo(payload);
        }
    }
}
