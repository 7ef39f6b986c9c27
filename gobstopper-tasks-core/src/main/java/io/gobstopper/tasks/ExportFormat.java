package io.gobstopper.tasks;

import java.util.Locale;

/** A file format tasks can be exported in. */
public enum ExportFormat {
    /** Comma-separated values with a header row. */
    CSV("csv", "text/csv"),
    /** A JSON array of task objects. */
    JSON("json", "application/json"),
    /** Apache Parquet. */
    PARQUET("parquet", "application/vnd.apache.parquet");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The file name extension, also the value's spelling in requests. */
    public String extension() {
        return extension;
    }

    /** The media type of the file. */
    public String contentType() {
        return contentType;
    }

    /** Reads {@code csv}, {@code json} or {@code parquet} in any case. */
    public static ExportFormat of(String value) {
        for (ExportFormat format : values()) {
            if (format.extension.equals(value.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("format must be one of csv, json, parquet; got '" + value + "'");
    }
}
