package io.gobstopper.tasks;

import java.util.List;

/**
 * What an archive run moved out of the live table.
 *
 * @param archived how many ended tasks were written to Parquet and deleted
 * @param files the Parquet files written, relative to the archive folder
 */
public record ArchiveResult(long archived, List<String> files) {

    public ArchiveResult {
        files = List.copyOf(files);
    }
}
