package io.stocktracker.loadgen.resume;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.Subscribe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntToLongFunction;

/**
 * How docs/PROTOCOL.md asks a client to come back, written once for the load generator's resuming clients (the
 * {@code java.net.http} ones and the storm's raw ones): the wait before the next attempt, and the subscribes that
 * carry {@code since} so nothing already held is sent again.
 */
public final class ResumeRules {
    /** PROTOCOL.md: at most 50 symbols per subscribe. */
    private static final int MAX_SYMBOLS_PER_MESSAGE = 50;

    private ResumeRules() {}

    /** PROTOCOL.md's chaos schedule: 250 ms doubling to 4 s, each wait drawn from the upper half (jitter). */
    public static long backoffMillis(int attempt) {
        long ceiling = Math.min(4000, 250L << Math.min(attempt, 4));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    /**
     * The subscribe messages for {@code symbols}, {@code since} carrying every seq held.
     * @param heldSeq the seq held for {@code symbols.get(k)}; {@code Long.MIN_VALUE} for none
     */
    public static List<String> subscribeMessages(List<String> symbols, IntToLongFunction heldSeq, String clientId) {
        List<String> out = new ArrayList<>();
        for (int from = 0; from < symbols.size(); from += MAX_SYMBOLS_PER_MESSAGE) {
            int to = Math.min(symbols.size(), from + MAX_SYMBOLS_PER_MESSAGE);
            Map<String, Long> since = new LinkedHashMap<>();
            for (int k = from; k < to; k++) {
                long seq = heldSeq.applyAsLong(k);
                if (seq != Long.MIN_VALUE) {
                    since.put(symbols.get(k), seq);
                }
            }
            out.add(JsonCodec.toJson(new Subscribe(symbols.subList(from, to), clientId, since.isEmpty() ? null : since)));
        }
        return out;
    }
}
