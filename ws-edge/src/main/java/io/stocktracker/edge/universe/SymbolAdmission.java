package io.stocktracker.edge.universe;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.ws.Subscribed.Rejection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which symbols of a subscribe the edge takes on: only listed ones (the symbol universe), and a symbol nobody on
 * this edge holds yet only within the per-edge and cluster-wide caps on distinct active symbols. Symbols someone
 * already streams cost nothing and are always admitted. The caps are soft by the subscribes in flight at the
 * same moment (on this edge, and on other edges between two of their announcements).
 */
public final class SymbolAdmission {

    /** How many distinct symbols all edges announce, and which of some candidates none of them does. */
    public record ClusterCount(int distinct, Set<String> unseen) {
    }

    /** The cluster's active symbols; empty when they cannot be counted now (Redis down or slow). */
    public interface ClusterView {
        Optional<ClusterCount> count(Collection<String> candidates);
    }

    /** Symbols to go on with, and the ones refused with their reason. */
    public record Outcome(List<String> admitted, List<Rejection> rejected) {
    }

    private final Predicate<String> listed;
    private final SymbolPolicy policy;
    private final ClusterView cluster;

    public SymbolAdmission(SymbolUniverse universe, SymbolPolicy policy, ClusterView cluster) {
        this.listed = policy.universeCheck() ? universe::contains : s -> true;
        this.policy = policy;
        this.cluster = cluster;
    }

    public boolean listed(String symbol) {
        return listed.test(symbol);
    }

    /**
     * Raw symbols of a message: those that are symbols but not listed are refused ({@code INVALID_SYMBOL}); the rest
     * go on unchanged (the syntax check answers for the ones that are not symbols at all).
     */
    public Outcome listedOnly(List<String> raw) {
        List<String> admitted = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        for (String s : raw) {
            Optional<String> symbol = Symbols.normalize(s);
            if (symbol.isPresent() && !listed.test(symbol.get())) {
                rejected.add(new Rejection(symbol.get(), ErrorCode.INVALID_SYMBOL, notListed(symbol.get())));
            } else {
                admitted.add(s);
            }
        }
        return new Outcome(admitted, rejected);
    }

    public static String notListed(String symbol) {
        return symbol + " is not a listed symbol (not in the symbol universe)";
    }

    /**
     * @param symbols     normalised symbols the connection may hold
     * @param activeHere  whether someone on this edge already holds a symbol
     * @param activeCount how many distinct symbols this edge holds now
     */
    public Outcome withinCaps(List<String> symbols, Predicate<String> activeHere, int activeCount) {
        List<String> admitted = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (String s : symbols) {
            (activeHere.test(s) ? admitted : fresh).add(s);
        }
        List<Rejection> rejected = new ArrayList<>();
        if (fresh.isEmpty()) {
            return new Outcome(admitted, rejected);
        }
        int roomHere = Math.max(0, policy.maxActivePerEdge() - activeCount);
        List<String> candidates = new ArrayList<>();
        for (String s : fresh) {
            if (candidates.size() < roomHere) {
                candidates.add(s);
            } else {
                rejected.add(new Rejection(s, ErrorCode.ACTIVE_SYMBOL_LIMIT_EXCEEDED, "This edge already streams "
                        + policy.maxActivePerEdge() + " distinct symbols (SYMBOL_MAX_ACTIVE_PER_EDGE); try again later"));
            }
        }
        if (candidates.isEmpty()) {
            return new Outcome(admitted, rejected);
        }
        Optional<ClusterCount> count = cluster.count(candidates);
        if (count.isEmpty()) {
            admitted.addAll(candidates); // the cluster cannot be counted now: the per-edge cap still holds
            return new Outcome(admitted, rejected);
        }
        int roomInCluster = Math.max(0, policy.maxActiveCluster() - count.get().distinct());
        for (String s : candidates) {
            if (!count.get().unseen().contains(s)) {
                admitted.add(s); // another edge streams it already
            } else if (roomInCluster > 0) {
                roomInCluster--;
                admitted.add(s);
            } else {
                rejected.add(new Rejection(s, ErrorCode.ACTIVE_SYMBOL_LIMIT_EXCEEDED, "The cluster already streams "
                        + policy.maxActiveCluster() + " distinct symbols (SYMBOL_MAX_ACTIVE_CLUSTER); try again later"));
            }
        }
        return new Outcome(admitted, rejected);
    }
}
