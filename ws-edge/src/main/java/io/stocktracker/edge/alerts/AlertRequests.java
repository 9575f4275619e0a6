package io.stocktracker.edge.alerts;

import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/** An {@code alert} message's fields checked: the rule to create, or the error that names the field. No I/O. */
public final class AlertRequests {

    /** Exactly one of the two is non-null. */
    public record Checked(AlertRule rule, ErrorMessage error) {
        static Checked fail(ErrorCode code, String message) {
            return new Checked(null, ErrorMessage.of(code, message));
        }
    }

    private final Predicate<String> listed;

    /** @param listed the symbol universe: an alert on an unlisted symbol would never fire */
    public AlertRequests(Predicate<String> listed) {
        this.listed = listed;
    }

    public Checked create(Alert request, Principal principal, Instant now) {
        if (request.symbol() == null) {
            return Checked.fail(ErrorCode.INVALID_MESSAGE, "'symbol' is required to create an alert");
        }
        String symbol = Symbols.normalize(request.symbol()).orElse(null);
        if (symbol == null) {
            return Checked.fail(ErrorCode.INVALID_SYMBOL, "'symbol' does not match " + Symbols.PATTERN_TEXT);
        }
        if (!listed.test(symbol)) {
            return Checked.fail(ErrorCode.INVALID_SYMBOL, SymbolAdmission.notListed(symbol));
        }
        if (!principal.allows(symbol)) {
            return Checked.fail(ErrorCode.FORBIDDEN_SYMBOL, "Your token does not allow " + symbol);
        }
        int conditions = (request.above() != null ? 1 : 0) + (request.below() != null ? 1 : 0)
                + (request.movePercent() != null ? 1 : 0);
        if (conditions != 1) {
            return Checked.fail(ErrorCode.INVALID_MESSAGE, "Give exactly one of 'above', 'below', 'movePercent'");
        }
        if (request.above() != null && !positivePrice(request.above())) {
            return Checked.fail(ErrorCode.INVALID_MESSAGE, "'above' must be a finite number > 0");
        }
        if (request.below() != null && !positivePrice(request.below())) {
            return Checked.fail(ErrorCode.INVALID_MESSAGE, "'below' must be a finite number > 0");
        }
        if (request.movePercent() != null) {
            double move = request.movePercent();
            if (!(move > 0 && move <= AlertRule.MAX_MOVE_PERCENT)) {
                return Checked.fail(ErrorCode.INVALID_MESSAGE, "'movePercent' must be a number > 0 and at most "
                        + (int) AlertRule.MAX_MOVE_PERCENT);
            }
            Integer window = request.windowSeconds();
            if (window == null || window < 1 || window > AlertRule.MAX_WINDOW_SECONDS) {
                return Checked.fail(ErrorCode.INVALID_MESSAGE, "'windowSeconds' must be an integer from 1 to "
                        + AlertRule.MAX_WINDOW_SECONDS + " with 'movePercent'");
            }
        } else if (request.windowSeconds() != null) {
            return Checked.fail(ErrorCode.INVALID_MESSAGE, "'windowSeconds' goes with 'movePercent' only");
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        return new Checked(new AlertRule(id, symbol, request.above(), request.below(), request.movePercent(),
                request.movePercent() == null ? null : request.windowSeconds(), now), null);
    }

    /** Null when a delete or an ack names a well-formed id; otherwise the error. */
    public static ErrorMessage badAlertId(String id) {
        if (id == null || !AlertRule.ID_PATTERN.matcher(id).matches()) {
            return ErrorMessage.of(ErrorCode.INVALID_MESSAGE, "'alertId' must match " + AlertRule.ID_PATTERN_TEXT);
        }
        return null;
    }

    private static boolean positivePrice(double price) {
        return Double.isFinite(price) && price > 0;
    }
}
