package io.gobstopper.tasks.store;

import io.gobstopper.tasks.ExportFormat;
import io.gobstopper.tasks.TaskFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/** A store's capability to write the tasks a listing filter selects to a file format. */
public interface TaskExport {

    /** The formats this store writes. */
    Set<ExportFormat> exportFormats();

    /**
     * Writes the tasks a listing filter selects (ignoring its page), newest first, in one of
     * {@link #exportFormats()}.
     */
    void export(TaskFilter filter, ExportFormat format, OutputStream out) throws IOException;
}
