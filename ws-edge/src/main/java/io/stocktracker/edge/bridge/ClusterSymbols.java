package io.stocktracker.edge.bridge;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.schemas.contract.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the distinct symbols every edge announces in its {@code market-data:active-symbols:{edgeId}} set, in one
 * script so the union never leaves Redis: what the cluster-wide cap on active symbols is checked against.
 */
final class ClusterSymbols implements SymbolAdmission.ClusterView {
    private static final Logger log = LoggerFactory.getLogger(ClusterSymbols.class);
    /** ARGV[1] = key pattern, ARGV[2..] = candidates; returns {distinct, unseen candidates...}. */
    private static final String COUNT = """
            local seen, n, cursor = {}, 0, '0'
            repeat
              local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 500)
              cursor = page[1]
              for _, key in ipairs(page[2]) do
                for _, s in ipairs(redis.call('SMEMBERS', key)) do
                  if not seen[s] then seen[s] = true; n = n + 1 end
                end
              end
            until cursor == '0'
            local out = {n}
            for i = 2, #ARGV do if not seen[ARGV[i]] then out[#out + 1] = ARGV[i] end end
            return out""";

    private final RedisLink link;
    private final Duration timeout;

    ClusterSymbols(RedisLink link, Duration timeout) {
        this.link = link;
        this.timeout = timeout;
    }

    @Override
    public Optional<SymbolAdmission.ClusterCount> count(Collection<String> candidates) {
        RedisAsyncCommands<String, String> redis = link.commands();
        if (redis == null || !link.up()) {
            return Optional.empty();
        }
        List<String> args = new ArrayList<>();
        args.add(Channels.activeSymbolsPattern());
        args.addAll(candidates);
        try {
            List<Object> out = redis.<List<Object>>eval(COUNT, ScriptOutputType.MULTI, new String[0], args.toArray(String[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            var unseen = new HashSet<String>();
            for (int i = 1; i < out.size(); i++) {
                unseen.add(String.valueOf(out.get(i)));
            }
            return Optional.of(new SymbolAdmission.ClusterCount(((Long) out.get(0)).intValue(), unseen));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.warn("cluster active-symbol count failed ({}); only the per-edge cap applies to this subscribe", e.toString());
            return Optional.empty();
        }
    }
}
