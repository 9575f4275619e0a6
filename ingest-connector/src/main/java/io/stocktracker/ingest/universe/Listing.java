package io.stocktracker.ingest.universe;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.stocktracker.schemas.contract.Symbols;

/**
 * One contributor to the symbol universe: a provider's listing (fetched), or a fixed list (the simulator's
 * tickers, a replay file's symbols, INGEST_SYMBOLS, SYMBOL_ALLOW_LIST).
 */
public interface Listing {

    /** What listed a symbol: the value of its record in symbols.universe. */
    String name();

    /** The listed symbols, normalised; empty when the listing could not be had this time (the last good one stays). */
    Optional<Set<String>> fetch();

    static Listing fixed(String name, Collection<String> symbols) {
        Set<String> normalized = normalize(symbols);
        return new Listing() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<Set<String>> fetch() {
                return Optional.of(normalized);
            }
        };
    }

    /** Valid symbols only, upper-cased: a provider's odd entries never reach the universe. */
    static Set<String> normalize(Collection<String> raw) {
        Set<String> out = new TreeSet<>();
        for (String s : raw) {
            Symbols.normalize(s).ifPresent(out::add);
        }
        return Set.copyOf(out);
    }
}
