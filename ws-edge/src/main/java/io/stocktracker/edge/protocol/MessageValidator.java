package io.stocktracker.edge.protocol;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.ws.Subscribed.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The per-message limits: frame size, symbols per message, subscriptions per connection, symbol syntax. */
public final class MessageValidator {
    private final int maxFrameBytes;
    private final int maxSymbolsPerMessage;
    private final int maxSubscriptions;

    public MessageValidator(int maxFrameBytes, int maxSymbolsPerMessage, int maxSubscriptions) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxSymbolsPerMessage = maxSymbolsPerMessage;
        this.maxSubscriptions = maxSubscriptions;
    }

    /** Cheap check first (chars <= bytes), exact UTF-8 length only when it could matter. */
    public boolean frameTooLarge(String text) {
        if (text.length() > maxFrameBytes) {
            return true;
        }
        return text.length() * 3 > maxFrameBytes && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes;
    }

    public boolean frameTooLarge(int bytes) {
        return bytes > maxFrameBytes;
    }

    public boolean tooManySymbols(List<String> symbols) {
        return symbols.size() > maxSymbolsPerMessage;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public int maxSymbolsPerMessage() {
        return maxSymbolsPerMessage;
    }

    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Normalised, de-duplicated symbols, plus the rejected ones with their code. */
    public record Checked(List<String> accepted, List<Rejection> rejected) {
    }

    /** Symbols for an unsubscribe: syntax only. */
    public Checked checkSymbols(List<String> raw) {
        Set<String> accepted = new LinkedHashSet<>();
        List<Rejection> rejected = new ArrayList<>();
        for (String s : raw) {
            var normalized = Symbols.normalize(s);
            if (normalized.isPresent()) {
                accepted.add(normalized.get());
            } else {
                rejected.add(new Rejection(printable(s), ErrorCode.INVALID_SYMBOL, "Symbol does not match " + Symbols.PATTERN_TEXT));
            }
        }
        return new Checked(List.copyOf(accepted), rejected);
    }

    /**
     * Symbols for a subscribe: syntax, the token's allowed symbols, then the connection's remaining capacity
     * (symbols it already holds cost nothing).
     */
    public Checked checkSubscribe(List<String> raw, Set<String> alreadySubscribed, Predicate<String> allowed) {
        return checkSubscribe(raw, alreadySubscribed, allowed, maxSubscriptions,
                "At most " + maxSubscriptions + " subscriptions per connection");
    }

    /** Same, with the connection's own limit (its token's tier) and the reason naming it. */
    public Checked checkSubscribe(List<String> raw, Set<String> alreadySubscribed, Predicate<String> allowed,
                                  int maxSubscriptions, String limitReason) {
        Checked syntax = checkSymbols(raw);
        List<String> accepted = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>(syntax.rejected());
        int held = alreadySubscribed.size();
        for (String s : syntax.accepted()) {
            if (!allowed.test(s)) {
                rejected.add(new Rejection(s, ErrorCode.FORBIDDEN_SYMBOL, "Your token does not allow " + s));
            } else if (alreadySubscribed.contains(s)) {
                accepted.add(s);
            } else if (held >= maxSubscriptions) {
                rejected.add(new Rejection(s, ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, limitReason));
            } else {
                held++;
                accepted.add(s);
            }
        }
        return new Checked(List.copyOf(accepted), List.copyOf(rejected));
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 32 ? s.substring(0, 32) : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
