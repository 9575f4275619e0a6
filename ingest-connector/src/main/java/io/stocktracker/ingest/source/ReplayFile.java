package io.stocktracker.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.CodecException;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Symbols;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of historical quotes: JSON Lines (one RawQuote-shaped object per line) or CSV with a header
 * naming at least {@code timestamp,symbol,price} (optional open, high, low, previousClose, volume,
 * change, changePercent). Bad lines are skipped and counted, never fatal; a file with no good line is.
 */
public final class ReplayFile {
    private static final Logger log = LoggerFactory.getLogger(ReplayFile.class);
    /** The sample shipped in the jar, used when REPLAY_FILE is not set. */
    public static final String SAMPLE_RESOURCE = "/replay/sample-quotes.jsonl";

    /** One historical quote. */
    public record Entry(Instant time, String symbol, double price, Double open, Double high, Double low,
                        Double previousClose, Long volume, Double change, Double changePercent) {
    }

    private final List<Entry> entries;
    private final int skipped;

    private ReplayFile(List<Entry> entries, int skipped) {
        this.entries = List.copyOf(entries);
        this.skipped = skipped;
    }

    /** Sorted by time (stable for equal times). */
    public List<Entry> entries() {
        return entries;
    }

    public int skippedLines() {
        return skipped;
    }

    public static ReplayFile load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + path, e);
        }
    }

    public static ReplayFile sample() {
        InputStream in = ReplayFile.class.getResourceAsStream(SAMPLE_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("sample replay file " + SAMPLE_RESOURCE + " is missing from the classpath");
        }
        try (in) {
            return read(in, SAMPLE_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReplayFile read(InputStream in, String name) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int skipped = 0;
        String[] header = null;
        Boolean jsonl = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (jsonl == null) {
                    jsonl = trimmed.startsWith("{");
                    if (!jsonl) {
                        header = trimmed.split(",", -1);
                        continue;
                    }
                }
                try {
                    entries.add(jsonl ? fromJson(trimmed) : fromCsv(header, trimmed));
                } catch (RuntimeException e) {
                    skipped++;
                    log.warn("{}:{} skipped: {}", name, number, e.getMessage());
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("replay file " + name + " has no valid quote (" + skipped + " bad lines)");
        }
        entries.sort(Comparator.comparing(Entry::time));
        return new ReplayFile(entries, skipped);
    }

    private static Entry fromJson(String line) {
        JsonNode node;
        try {
            node = JsonCodec.tree(line);
        } catch (CodecException e) {
            throw new IllegalArgumentException("not JSON");
        }
        Map<String, String> fields = new HashMap<>();
        node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return entry(fields);
    }

    private static Entry fromCsv(String[] header, String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != header.length) {
            throw new IllegalArgumentException("expected " + header.length + " cells, got " + cells.length);
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            fields.put(header[i].strip(), cells[i].strip());
        }
        return entry(fields);
    }

    private static Entry entry(Map<String, String> f) {
        String symbol = Symbols.normalize(f.get("symbol"))
                .orElseThrow(() -> new IllegalArgumentException("bad symbol " + f.get("symbol")));
        Double price = number(f, "price");
        if (price == null || price <= 0) {
            throw new IllegalArgumentException("price missing or not positive");
        }
        Instant time;
        try {
            String raw = f.get("timestamp");
            time = raw != null && raw.chars().allMatch(Character::isDigit) && !raw.isEmpty()
                    ? Instant.ofEpochSecond(Long.parseLong(raw))
                    : Instant.parse(raw == null ? "" : raw);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("bad timestamp " + f.get("timestamp"));
        }
        Double volume = number(f, "volume");
        return new Entry(time, symbol, price, number(f, "open"), number(f, "high"), number(f, "low"),
                number(f, "previousClose"), volume == null ? null : Math.round(volume),
                number(f, "change"), number(f, "changePercent"));
    }

    private static Double number(Map<String, String> f, String key) {
        String raw = f.get(key);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(raw.strip().replace("%", ""));
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(key + " is not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.toLowerCase(Locale.ROOT) + " is not a number: " + raw);
        }
    }
}
