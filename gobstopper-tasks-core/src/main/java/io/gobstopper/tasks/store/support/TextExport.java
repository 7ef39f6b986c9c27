package io.gobstopper.tasks.store.support;

import io.gobstopper.tasks.ExportFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Writes exported task rows as CSV (with a header row) or as a JSON array of objects, one row at a time, for stores
 * whose database cannot write those files itself. Values come as text; the numeric columns are written as JSON
 * numbers.
 */
public final class TextExport implements AutoCloseable {

    /** The columns exported, in order, as in the DuckDB store's export. */
    public static final List<String> COLUMNS = List.of(
            "id",
            "name",
            "category",
            "priority",
            "status",
            "created_at",
            "started_at",
            "completed_at",
            "run_at",
            "result",
            "error",
            "retry_count",
            "max_retries",
            "args",
            "kwargs",
            "progress",
            "progress_message",
            "depends_on",
            "unique_key");

    private static final Set<String> NUMBERS = Set.of("priority", "retry_count", "max_retries", "progress");

    private final Writer out;
    private final ExportFormat format;
    private boolean first = true;

    public TextExport(OutputStream out, ExportFormat format) throws IOException {
        if (format == ExportFormat.PARQUET) {
            throw new IllegalArgumentException("TextExport writes csv and json only");
        }
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        this.format = format;
        if (format == ExportFormat.CSV) {
            this.out.write(String.join(",", COLUMNS));
            this.out.write('\n');
        } else {
            this.out.write('[');
        }
    }

    /** One row: a value (or {@code null}) per column of {@link #COLUMNS}. */
    public void row(String[] values) throws IOException {
        if (format == ExportFormat.CSV) {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csv(values[i]));
            }
            out.write('\n');
            return;
        }
        out.write(first ? "\n{" : ",\n{");
        first = false;
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(json(COLUMNS.get(i)));
            out.write(':');
            String value = values[i];
            out.write(value == null ? "null" : NUMBERS.contains(COLUMNS.get(i)) ? value : json(value));
        }
        out.write('}');
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty()
                || value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String json(String value) {
        StringBuilder text = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    /** Ends the file and flushes it; the stream stays open. */
    @Override
    public void close() throws IOException {
        if (format == ExportFormat.JSON) {
            out.write(first ? "]\n" : "\n]\n");
        }
        out.flush();
    }
}
