package io.stocktracker.launcher.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records of one type as RFC 4180 CSV: the header is the record's component names, so a new
 * field in the wire model appears as a new column without touching this class.
 */
public final class CsvWriter {
    private final Writer out;
    private final RecordComponent[] components;

    public CsvWriter(Writer out, Class<? extends Record> type) {
        this.out = out;
        this.components = type.getRecordComponents();
    }

    public void header() {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : components) {
            names.add(c.getName());
        }
        line(names);
    }

    public void row(Record value) {
        List<String> cells = new ArrayList<>(components.length);
        for (RecordComponent c : components) {
            try {
                Object v = c.getAccessor().invoke(value);
                cells.add(v == null ? "" : v.toString());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        line(cells);
    }

    private void line(List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(escape(cells.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
