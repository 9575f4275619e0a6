package io.stocktracker.edge.protocol;

import java.io.IOException;
import java.util.Optional;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Walks a MessagePack frame's headers without building anything, before any decoder sees it. A decoder allocates a
 * str, bin or ext of the length its header declares before reading it (five bytes can declare 2 GiB), so every
 * declared length, and every array or map count, must fit in what is left of the frame; nesting is capped so no
 * decoder recurses deep. What passes costs a decoder at most a small multiple of the frame's own size.
 */
final class MessagePackBounds {
    /** Client messages nest two levels (a map holding an array of strings); the cap leaves room, not recursion. */
    static final int MAX_DEPTH = ProtocolCodec.MAX_NESTING_DEPTH;

    /** Why this frame must not be decoded, or empty when every header fits its frame. */
    static Optional<String> problem(byte[] frame) {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(frame)) {
            // values still to read at each open level; level 0 is the one top-level value
            long[] pending = new long[MAX_DEPTH + 1];
            pending[0] = 1;
            int depth = 0;
            while (depth >= 0) {
                if (pending[depth] == 0) {
                    depth--;
                    continue;
                }
                pending[depth]--;
                if (!in.hasNext()) {
                    return Optional.of("truncated");
                }
                MessageFormat format = in.getNextFormat();
                if (format == MessageFormat.NEVER_USED) {
                    return Optional.of("byte 0xc1 is never used");
                }
                switch (format.getValueType()) {
                    case STRING, BINARY, EXTENSION -> {
                        long length = switch (format.getValueType()) {
                            case STRING -> Integer.toUnsignedLong(in.unpackRawStringHeader());
                            case BINARY -> Integer.toUnsignedLong(in.unpackBinaryHeader());
                            default -> {
                                ExtensionTypeHeader ext = in.unpackExtensionTypeHeader();
                                yield Integer.toUnsignedLong(ext.getLength());
                            }
                        };
                        if (length > remaining(frame, in)) {
                            return Optional.of(format.getValueType().name().toLowerCase() + " of " + length
                                    + " bytes declared, " + remaining(frame, in) + " left in the frame");
                        }
                        in.readPayloadAsReference((int) length);
                    }
                    case ARRAY, MAP -> {
                        boolean map = format.getValueType() == org.msgpack.value.ValueType.MAP;
                        long count = Integer.toUnsignedLong(map ? in.unpackMapHeader() : in.unpackArrayHeader());
                        long values = map ? 2 * count : count;
                        // every value takes at least one byte
                        if (values > remaining(frame, in)) {
                            return Optional.of((map ? "map" : "array") + " of " + count + " entries declared, "
                                    + remaining(frame, in) + " bytes left in the frame");
                        }
                        if (depth == MAX_DEPTH) {
                            return Optional.of("nested deeper than " + MAX_DEPTH);
                        }
                        pending[++depth] = values;
                    }
                    default -> in.skipValue();
                }
            }
            if (in.hasNext()) {
                return Optional.of("bytes after the message");
            }
            return Optional.empty();
        } catch (IOException | MessagePackException e) {
            return Optional.of("malformed");
        }
    }

    private static long remaining(byte[] frame, MessageUnpacker in) {
        return frame.length - in.getTotalReadBytes();
    }

    private MessagePackBounds() {}
}
