package io.stocktracker.streams.topology;

/**
 * Headers on {@code quotes.raw.dlq} besides {@link io.stocktracker.schemas.contract.Topics#DLQ_REASON_HEADER}
 * (which carries the {@link io.stocktracker.streams.enrich.DropReason} tag).
 */
public final class DeadLetterHeaders {
    /** Human-readable explanation, e.g. which field failed to decode. */
    public static final String DETAIL = "dlq.detail";
    /** Where the record came from: {@code topic-partition@offset}. */
    public static final String ORIGIN = "dlq.origin";

    private DeadLetterHeaders() {}
}
