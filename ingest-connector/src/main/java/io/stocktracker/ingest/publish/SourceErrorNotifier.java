package io.stocktracker.ingest.publish;

import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.schedule.FailureSink;
import io.stocktracker.ingest.schedule.ProviderChain;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The seed's IWebSocketNotificationService.PublishErrorAsync: when every source failed for a symbol, an {@code error} message with the
 * symbol goes to {@code market-data:updates} (the same bytes an edge forwards to its clients).
 * SUBSCRIPTION_FAILED when every provider that answered said the symbol is unknown, SOURCE_UNAVAILABLE
 * otherwise. Throttled per symbol and code.
 */
public final class SourceErrorNotifier implements FailureSink {
    private final BiConsumer<String, String> publisher;
    private final ErrorThrottle throttle;
    private final IngestMetrics metrics;
    private final Clock clock;

    /** @param publisher (channel, payload) -> publish; must not block. */
    public SourceErrorNotifier(BiConsumer<String, String> publisher, ErrorThrottle throttle, IngestMetrics metrics, Clock clock) {
        this.publisher = publisher;
        this.throttle = throttle;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void sourceFailed(String symbol, List<ProviderChain.Attempt> attempts) {
        ErrorCode code = codeFor(attempts);
        if (!throttle.allow(symbol + "|" + code, clock.instant())) {
            metrics.errorNotification(code.name(), false);
            return;
        }
        publisher.accept(Channels.UPDATES, payload(symbol, code, attempts));
        metrics.errorNotification(code.name(), true);
    }

    static ErrorCode codeFor(List<ProviderChain.Attempt> attempts) {
        boolean anyUnknown = attempts.stream().anyMatch(a -> a.failure().reason() == Reason.UNKNOWN_SYMBOL);
        boolean allUnknownOrSkipped = attempts.stream().allMatch(a -> a.failure().reason() == Reason.UNKNOWN_SYMBOL
                || a.failure().reason() == Reason.CIRCUIT_OPEN);
        return anyUnknown && allUnknownOrSkipped ? ErrorCode.SUBSCRIPTION_FAILED : ErrorCode.SOURCE_UNAVAILABLE;
    }

    /** The JSON of the error message, with its {@code type}, as written to the updates channel. */
    public String payload(String symbol, ErrorCode code, List<ProviderChain.Attempt> attempts) {
        String detail = attempts.stream()
                .map(a -> a.provider() + ": " + a.failure().reason())
                .distinct()
                .collect(Collectors.joining(", "));
        String message = (code == ErrorCode.SUBSCRIPTION_FAILED
                ? "No quote source knows " + symbol
                : "Every quote source failed for " + symbol + "; data may be stale") + " (" + detail + ")";
        ErrorMessage error = new ErrorMessage(code, message, clock.instant(), symbol);
        try {
            return JsonCodec.mapper().writerFor(ServerMessage.class).writeValueAsString(error);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode error message", e);
        }
    }
}
