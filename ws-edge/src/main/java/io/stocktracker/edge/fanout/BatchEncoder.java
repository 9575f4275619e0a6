package io.stocktracker.edge.fanout;

import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.ws.BatchUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How a connection's pending quotes leave as one frame: the shared frame when alone, a batch_update otherwise. */
public final class BatchEncoder {
    private final EdgeMetrics metrics;

    public BatchEncoder(EdgeMetrics metrics) {
        this.metrics = metrics;
    }

    public Object encode(List<PendingQuote> batch, WireFormat format) {
        Instant now = Instant.now();
        metrics.quotesOut.increment(batch.size());
        for (PendingQuote p : batch) {
            if (p.quote() != null) {
                metrics.delivered(p.quote(), now);
            }
        }
        if (batch.size() == 1) {
            return batch.get(0).frame();
        }
        if (format == WireFormat.JSON) {
            return jsonBatch(batch, now);
        }
        List<BatchUpdate.Entry> entries = new ArrayList<>(batch.size());
        for (PendingQuote p : batch) {
            entries.add(new BatchUpdate.Entry(p.symbol(), p.quote()));
        }
        return format.encode(new BatchUpdate(entries, now));
    }

    /**
     * The batch_update JSON assembled from entries each serialized once per update (shared by every client whose
     * batch holds that update): conflated clients get distinct batches, but no quote is serialized per client.
     */
    static String jsonBatch(List<PendingQuote> batch, Instant now) {
        StringBuilder b = new StringBuilder(64 + batch.size() * 320);
        b.append("{\"type\":\"").append(BatchUpdate.TYPE).append("\",\"updates\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(batch.get(i).batchEntryJson(BatchEncoder::entryJson));
        }
        return b.append("],\"timestamp\":\"").append(now).append("\"}").toString();
    }

    private static String entryJson(PendingQuote p) {
        return ProtocolCodec.encode(new BatchUpdate(List.of(new BatchUpdate.Entry(p.symbol(), p.quote())), Instant.EPOCH))
                .transform(json -> json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')));
    }
}
