package io.gobstopper.tasks.store.duckdb;

import io.gobstopper.tasks.TaskInfo;
import io.gobstopper.tasks.TaskPriority;
import io.gobstopper.tasks.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A write-ahead journal of newly submitted tasks, so that a submit is durable after one append and
 * {@code fdatasync} (0.2 ms on the project's machine) instead of a DuckDB commit (2.5 ms or more when idle). The
 * same writer then stores the tasks in DuckDB, together with the highest journal sequence number those rows cover;
 * at startup, records above that mark are stored again. Records at or below the mark are never replayed, so a task
 * deleted later cannot come back, even if a truncation of this file was lost in a crash.
 *
 * <p>A record is {@code [length][crc32][seq, task]}; reading stops at the first incomplete or damaged record, which
 * can only be the last one written when the process died (its submitter was never told it succeeded). Only the
 * writer thread uses a journal.
 */
final class SubmitJournal implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private long nextSeq;

    private SubmitJournal(Path path, FileChannel channel, long nextSeq) {
        this.path = path;
        this.channel = channel;
        this.nextSeq = nextSeq;
    }

    /**
     * Opens (creating) the journal.
     *
     * @param storedUpTo the highest sequence number the store already holds
     */
    static SubmitJournal open(Path path, long storedUpTo) throws IOException {
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        SubmitJournal journal = new SubmitJournal(path, channel, storedUpTo + 1);
        for (Entry entry : journal.read()) {
            journal.nextSeq = Math.max(journal.nextSeq, entry.seq() + 1);
        }
        channel.position(channel.size());
        return journal;
    }

    /** One journaled task. */
    record Entry(long seq, TaskInfo task) {}

    /** The intact records of a journal file, read without opening it for writing (diagnostics, tests). */
    static List<Entry> readFile(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new SubmitJournal(path, channel, 0).read();
        }
    }

    /** Every intact record, in order. */
    List<Entry> read() throws IOException {
        ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        while (content.hasRemaining() && channel.read(content, content.position()) >= 0) {
            // read it all
        }
        content.flip();
        List<Entry> entries = new ArrayList<>();
        while (content.remaining() >= 8) {
            int length = content.getInt();
            long crc = content.getInt() & 0xFFFF_FFFFL;
            if (length <= 0 || length > content.remaining()) {
                break; // torn: the last append, whose submitter was never answered
            }
            byte[] payload = new byte[length];
            content.get(payload);
            CRC32 check = new CRC32();
            check.update(payload);
            if (check.getValue() != crc) {
                break;
            }
            entries.add(decode(payload));
        }
        return entries;
    }

    /**
     * Appends the tasks and forces them to disk.
     *
     * @return the sequence number of the last one
     */
    long append(List<TaskInfo> tasks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tasks.size() * 160);
        DataOutputStream out = new DataOutputStream(bytes);
        for (TaskInfo task : tasks) {
            byte[] payload = encode(nextSeq++, task);
            CRC32 crc = new CRC32();
            crc.update(payload);
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        long start = channel.position();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException ex) {
            // the submit fails: its records must not come back at the next start
            try {
                channel.truncate(start);
                channel.position(start);
            } catch (IOException again) {
                ex.addSuppressed(again);
            }
            throw ex;
        }
        return nextSeq - 1;
    }

    /** Empties the journal; only call when the store holds every record. Need not reach the disk to be safe. */
    void truncate() throws IOException {
        channel.truncate(0);
        channel.position(0);
    }

    long size() throws IOException {
        return channel.size();
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static byte[] encode(long seq, TaskInfo task) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(seq);
        out.writeLong(task.id().getMostSignificantBits());
        out.writeLong(task.id().getLeastSignificantBits());
        text(out, task.name());
        text(out, task.category());
        out.writeByte(task.priority().level());
        out.writeInt(task.maxRetries());
        text(out, task.args());
        text(out, task.kwargs());
        out.writeLong(DuckDbRows.micros(task.createdAt()));
        out.writeLong(task.runAt() == null ? Long.MIN_VALUE : DuckDbRows.micros(task.runAt()));
        // added with schema step 3; records written before it end here
        out.writeInt(task.dependsOn().size());
        for (UUID parent : task.dependsOn()) {
            out.writeLong(parent.getMostSignificantBits());
            out.writeLong(parent.getLeastSignificantBits());
        }
        out.writeBoolean(task.uniqueKey() != null);
        if (task.uniqueKey() != null) {
            text(out, task.uniqueKey());
        }
        out.writeLong(task.timeout() == null ? -1 : task.timeout().toMillis());
        out.flush();
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        long seq = in.readLong();
        UUID id = new UUID(in.readLong(), in.readLong());
        String name = text(in);
        String category = text(in);
        TaskPriority priority = TaskPriority.ofLevel(in.readByte());
        int maxRetries = in.readInt();
        String args = text(in);
        String kwargs = text(in);
        Instant createdAt = Instant.EPOCH.plus(in.readLong(), ChronoUnit.MICROS);
        long runAt = in.readLong();
        List<UUID> dependsOn = new ArrayList<>();
        String uniqueKey = null;
        Duration timeout = null;
        if (in.available() > 0) {
            for (int parents = in.readInt(); parents > 0; parents--) {
                dependsOn.add(new UUID(in.readLong(), in.readLong()));
            }
            uniqueKey = in.readBoolean() ? text(in) : null;
            long timeoutMillis = in.readLong();
            timeout = timeoutMillis < 0 ? null : Duration.ofMillis(timeoutMillis);
        }
        return new Entry(
                seq,
                new TaskInfo(
                        id,
                        name,
                        category,
                        priority,
                        TaskStatus.PENDING,
                        createdAt,
                        null,
                        null,
                        runAt == Long.MIN_VALUE ? null : Instant.EPOCH.plus(runAt, ChronoUnit.MICROS),
                        null,
                        null,
                        0,
                        maxRetries,
                        args,
                        kwargs,
                        0,
                        null,
                        dependsOn,
                        uniqueKey,
                        timeout,
                        false));
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
