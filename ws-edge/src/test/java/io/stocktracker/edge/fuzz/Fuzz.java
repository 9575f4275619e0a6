package io.stocktracker.edge.fuzz;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Generated-input checks for the decoders the internet reaches. Each property runs {@link #TRIES} cases from a fixed
 * seed (reproducible; {@code -Dfuzz.seed=N} picks another, {@code -Dfuzz.tries=N} runs more) and checks that every
 * case is answered without an exception escaping and that the thread allocated no more than the stated bound while
 * decoding it. A failure names the seed and the case so it can be replayed, then kept as a regression example.
 *
 * <p>Why not jqwik: its 1.10 releases ask not to be used by AI coding agents (this suite was written by one) and are
 * built on JUnit Platform 1.x, not the 6.x this build runs. Jazzer's JUnit runner only replays a corpus during
 * {@code mvn test} and fuzzes one test per JVM. What remains is small enough to own: seeded generators and a loop.
 */
public final class Fuzz {
    public static final long SEED = Long.getLong("fuzz.seed", 20261207L);
    public static final int TRIES = Integer.getInteger("fuzz.tries", 3000);
    private static final int WARM_UP = 200;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A decoder's property over generated inputs; {@code size} is what the allocation bound scales with. */
    public record Property<T>(String decoder, Function<SplittableRandom, T> generator, ToLongFunction<T> size,
                              ToLongFunction<Long> allocationBound, Consumer<T> check) {
    }

    /** 64 bytes per input byte plus a constant for the decoder's own buffers: what each property allows. */
    public static ToLongFunction<Long> linear(long perByte, long constant) {
        return size -> perByte * size + constant;
    }

    /** Runs the property; returns the largest allocation seen. Throws AssertionError naming seed and case. */
    public static <T> long check(Property<T> p) {
        long seed = SEED ^ p.decoder().hashCode();
        SplittableRandom random = new SplittableRandom(seed);
        // the first calls load classes, fill caches and size thread-local buffers: not what one more input costs
        SplittableRandom warmUp = new SplittableRandom(~seed);
        for (int i = 0; i < WARM_UP; i++) {
            try {
                p.check().accept(p.generator().apply(warmUp));
            } catch (Throwable ignored) {
                // the measured run below reports it with its seed
            }
        }
        long worst = 0;
        String worstInput = "";
        long started = System.nanoTime();
        for (int i = 0; i < TRIES; i++) {
            T input = p.generator().apply(random);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                p.check().accept(input);
            } catch (Throwable t) {
                throw new AssertionError(p.decoder() + ": case " + i + " of seed " + SEED + " (-Dfuzz.seed=" + SEED
                        + ") failed on " + show(input) + ": " + t, t);
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            long bound = p.allocationBound().applyAsLong(p.size().applyAsLong(input));
            if (allocated > bound) {
                // the first input down a new path loads its classes; a decoder that allocates by what it is told
                // does it on every run
                before = THREADS.getCurrentThreadAllocatedBytes();
                p.check().accept(input);
                allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
            if (allocated > bound) {
                throw new AssertionError(p.decoder() + ": case " + i + " of seed " + SEED + " allocated " + allocated
                        + " bytes, bound " + bound + ", on " + show(input));
            }
            if (allocated > worst) {
                worst = allocated;
                worstInput = show(input);
            }
        }
        System.out.printf("fuzz %s: %d cases, seed %d (stream %d), %d ms, most allocated %d bytes by %s%n", p.decoder(),
                TRIES, SEED, seed, (System.nanoTime() - started) / 1_000_000, worst,
                worstInput.length() > 80 ? worstInput.substring(0, 80) + "..." : worstInput);
        return worst;
    }

    /** One input through the property's check and allocation bound: a case a fuzz run found, kept. */
    public static <T> void example(Property<T> p, T input) {
        for (int i = 0; i < 3; i++) {
            p.check().accept(input); // warm, as in a run
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        p.check().accept(input);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long bound = p.allocationBound().applyAsLong(p.size().applyAsLong(input));
        if (allocated > bound) {
            throw new AssertionError(p.decoder() + " allocated " + allocated + " bytes, bound " + bound + ", on " + show(input));
        }
    }

    public static String show(Object input) {
        if (input instanceof byte[] b) {
            return "bytes[" + b.length + "] " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 256));
        }
        String s = String.valueOf(input);
        return "\"" + (s.length() > 512 ? s.substring(0, 512) + "...(" + s.length() + " chars)" : s) + "\"";
    }

    // ---- small generators shared by the properties ----

    public static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    /** Characters from the alphabet most of the time, any code point sometimes (surrogates and controls included). */
    public static String text(SplittableRandom r, String alphabet, int maxLength) {
        int length = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int roll = r.nextInt(20);
            if (roll == 0) {
                b.append((char) r.nextInt(0x10000));
            } else if (roll == 1) {
                b.append((char) r.nextInt(0x20));
            } else {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    public static byte[] bytes(SplittableRandom r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** A short length most of the time, sometimes a long one: most bugs hide at small sizes, some at large. */
    public static int length(SplittableRandom r, int usual, int rare) {
        return r.nextInt(10) == 0 ? r.nextInt(rare + 1) : r.nextInt(usual + 1);
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private Fuzz() {}
}
