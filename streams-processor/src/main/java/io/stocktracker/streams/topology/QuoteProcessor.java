package io.stocktracker.streams.topology;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.streams.enrich.Decision;
import io.stocktracker.streams.enrich.DropReason;
import io.stocktracker.streams.enrich.QuoteEnricher;
import io.stocktracker.streams.enrich.QuoteValidator;
import io.stocktracker.streams.enrich.SymbolState;
import io.stocktracker.streams.metrics.QuoteMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O shell around {@link QuoteValidator} and {@link QuoteEnricher}: decodes the raw bytes, reads
 * and writes the symbol's state, forwards the outcome. It never throws on bad data, so one poison
 * record cannot stop a stream thread.
 *
 * <p>A wall-clock punctuator deletes the state of every symbol without an accepted quote for the idle
 * retention and forwards {@link QuoteOutcome.Evicted} (a tombstone for quotes.latest). It is a plain
 * {@link Processor} rather than a fixed-key one because a punctuator can only forward new records there.
 */
final class QuoteProcessor implements Processor<String, byte[], String, QuoteOutcome> {
    private static final Logger log = LoggerFactory.getLogger(QuoteProcessor.class);
    private static final int MAX_DETAIL = 500;

    private final String storeName;
    private final QuoteValidator validator;
    private final QuoteEnricher enricher;
    private final QuoteMetrics metrics;
    private final Duration idleRetention;
    private ProcessorContext<String, QuoteOutcome> context;
    private KeyValueStore<String, SymbolState> store;

    QuoteProcessor(String storeName, QuoteValidator validator, QuoteEnricher enricher, QuoteMetrics metrics, Duration idleRetention) {
        this.storeName = storeName;
        this.validator = validator;
        this.enricher = enricher;
        this.metrics = metrics;
        this.idleRetention = idleRetention;
    }

    @Override
    public void init(ProcessorContext<String, QuoteOutcome> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(sweepInterval(idleRetention), PunctuationType.WALL_CLOCK_TIME, this::evictIdle);
    }

    /** A tenth of the retention (a symbol leaves at most 10% late), between 1 s and 1 h: a sweep reads the whole store. */
    static Duration sweepInterval(Duration retention) {
        long ms = Math.max(1000, Math.min(retention.toMillis() / 10, Duration.ofHours(1).toMillis()));
        return Duration.ofMillis(ms);
    }

    /** Deletes the state of the symbols idle for the retention and forwards a tombstone for each. */
    private void evictIdle(long wallMs) {
        Instant cutoff = Instant.ofEpochMilli(wallMs).minus(idleRetention);
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, SymbolState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SymbolState> e = all.next();
                if (e.value != null && !e.value.lastActive().isAfter(cutoff)) {
                    idle.add(e.key);
                }
            }
        }
        for (String symbol : idle) {
            store.delete(symbol);
            metrics.symbolEvicted();
            context.forward(new Record<>(symbol, (QuoteOutcome) new QuoteOutcome.Evicted(), wallMs));
        }
        if (!idle.isEmpty()) {
            log.info("evicted {} symbol(s) without an accepted quote for {}: state deleted, tombstone on quotes.latest",
                    idle.size(), idleRetention);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        RawQuote raw;
        try {
            if (record.value() == null) {
                deadLetter(record, DropReason.UNDECODABLE, "empty value");
                return;
            }
            raw = JsonCodec.fromBytes(record.value(), RawQuote.class);
        } catch (RuntimeException e) {
            deadLetter(record, DropReason.UNDECODABLE, e.getMessage());
            return;
        }
        QuoteValidator.Result valid = validator.validate(record.key(), raw, now);
        if (!valid.valid()) {
            deadLetter(record, valid.reason(), valid.detail());
            return;
        }
        SymbolState prev = store.get(valid.symbol());
        Decision decision = enricher.offer(valid.symbol(), raw, prev, now);
        if (decision instanceof Decision.Accepted accepted) {
            store.put(valid.symbol(), accepted.next());
            metrics.accepted(raw.ingestedAt() == null ? null : Duration.between(raw.ingestedAt(), now));
            context.forward(record.withValue(new QuoteOutcome.Accepted(accepted.quote(), accepted.volumeDelta())));
        } else if (decision instanceof Decision.Dropped dropped) {
            metrics.dropped(dropped.reason());
            log.debug("dropped {} quote of {}: {}", dropped.reason().tag(), valid.symbol(), dropped.detail());
        }
    }

    private void deadLetter(Record<String, byte[]> record, DropReason reason, String detail) {
        metrics.dropped(reason);
        String text = detail == null ? reason.tag() : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        log.debug("dead-lettering record with key {}: {} ({})", record.key(), reason.tag(), text);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topics.DLQ_REASON_HEADER);
        headers.add(Topics.DLQ_REASON_HEADER, reason.tag().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.DETAIL, text.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> headers.add(DeadLetterHeaders.ORIGIN,
                (m.topic() + "-" + m.partition() + "@" + m.offset()).getBytes(StandardCharsets.UTF_8)));
        context.forward(record.withValue((QuoteOutcome) new QuoteOutcome.DeadLetter(reason, record.value())).withHeaders(headers));
    }
}
