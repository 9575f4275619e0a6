package io.stocktracker.edge.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Subscriptions per connection by the token's {@code tier} claim, parsed from {@code TIER_SUBSCRIPTION_LIMITS}
 * ("free:10,pro:100"). With AUTH_MODE=none every connection gets MAX_SUBSCRIPTIONS. With AUTH_MODE=jwt a token
 * without a tier, and a tier the configuration does not name, get the smallest configured limit (never above
 * MAX_SUBSCRIPTIONS): leaving the claim out or a typo in an issuer never grants more.
 */
public final class TierLimits {
    public static final String TIER_CLAIM = "tier";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final Map<String, Integer> limits;
    private final int untiered;
    private final int smallest;

    private TierLimits(Map<String, Integer> limits, int untiered) {
        this.limits = Collections.unmodifiableMap(limits);
        this.untiered = untiered;
        this.smallest = limits.values().stream().mapToInt(Integer::intValue).min().orElse(untiered);
    }

    /**
     * @param spec comma-separated {@code tier:limit} pairs; blank means no tiers
     * @return tier -> limit, in the order given
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static Map<String, Integer> parse(String spec, int maxLimit) {
        return parse("TIER_SUBSCRIPTION_LIMITS", spec, maxLimit);
    }

    /** As {@link #parse(String, int)}, for the setting named {@code key} (e.g. TIER_ALERT_LIMITS). */
    public static Map<String, Integer> parse(String key, String spec, int maxLimit) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(",")) {
                String e = entry.trim();
                int colon = e.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(key + " entry '" + e + "' must be tier:limit");
                }
                String tier = e.substring(0, colon).trim();
                String value = e.substring(colon + 1).trim();
                if (!NAME.matcher(tier).matches()) {
                    throw new IllegalArgumentException(key + " tier '" + tier
                            + "' must be 1-32 letters, digits, '.', '_' or '-'");
                }
                int limit;
                try {
                    limit = Integer.parseInt(value);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(key + " limit of '" + tier + "' must be an integer (was '" + value + "')");
                }
                if (limit < 1 || limit > maxLimit) {
                    throw new IllegalArgumentException(key + " limit of '" + tier + "' must be between 1 and "
                            + maxLimit + " (was " + limit + ")");
                }
                if (limits.put(tier, limit) != null) {
                    throw new IllegalArgumentException(key + " names tier '" + tier + "' twice");
                }
            }
        }
        return Collections.unmodifiableMap(limits);
    }

    /**
     * @param maxSubscriptions MAX_SUBSCRIPTIONS
     * @param tokens           AUTH_MODE=jwt: connections without a tier are token holders who left it out
     */
    public static TierLimits of(Map<String, Integer> limits, int maxSubscriptions, boolean tokens) {
        int untiered = tokens ? Math.min(maxSubscriptions, limits.values().stream().mapToInt(Integer::intValue).min()
                .orElse(maxSubscriptions)) : maxSubscriptions;
        return new TierLimits(new LinkedHashMap<>(limits), untiered);
    }

    /** The max subscriptions per connection for this tier (null: no tier). */
    public int limitFor(String tier) {
        if (tier == null) {
            return untiered;
        }
        Integer limit = limits.get(tier);
        return limit != null ? limit : smallest;
    }

    public boolean knows(String tier) {
        return tier != null && limits.containsKey(tier);
    }

    public Map<String, Integer> limits() {
        return limits;
    }

    public int untiered() {
        return untiered;
    }

    @Override
    public String toString() {
        return limits + " (untiered " + untiered + ")";
    }
}
