package dev.flywheel.predictionlog.internal;

import dev.flywheel.predictionlog.LogSchema;
import dev.flywheel.predictionlog.PredictionEvent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.zip.CRC32;

/**
 * The file a running server appends its current hour's log to. Parquet writes its index at the end, so a file
 * still being written is not readable; this journal is: each record is framed as {@code length, crc32, payload},
 * so a reader (and the recovery after a {@code kill -9}) keeps every whole record and ignores a torn last one.
 * The server holds an exclusive lock on the file while it writes: a lock that can be taken means the writer is
 * gone and the journal may be sealed.
 *
 * <p>Format: {@code "FWPLOG1\n"}, a header record (type 0: model, version, input and output names, creation
 * time), then event records (type 1) and drop counts (type 2, cumulative for this file). Not thread-safe: one
 * writer thread owns it.
 */
public final class Journal implements AutoCloseable {
    static final byte[] MAGIC = "FWPLOG1\n".getBytes(StandardCharsets.US_ASCII);
    static final byte HEADER = 0;
    static final byte EVENT = 1;
    static final byte DROPS = 2;

    private final Path path;
    private final FileChannel channel;
    /** Held for the journal's life (released with the channel): tells others a writer is here. */
    private final FileLock lock;
    private final LogSchema schema;
    private final Instant hour;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(4 * 1024);
    private final DataOutputStream out = new DataOutputStream(record);
    private final CRC32 crc = new CRC32();
    private long rows;

    private Journal(Path path, FileChannel channel, FileLock lock, LogSchema schema, Instant hour) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.schema = schema;
        this.hour = hour;
    }

    /** Creates {@code path} (which must not exist), locks it and writes the header. */
    public static Journal create(Path path, LogSchema schema, Instant hour, Instant now) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.lock();
            Journal j = new Journal(path, ch, lock, schema, hour);
            j.pending.write(MAGIC);
            j.out.writeByte(HEADER);
            j.out.writeUTF(schema.model());
            j.out.writeInt(schema.version());
            j.out.writeInt(schema.inputs().size());
            for (String s : schema.inputs()) {
                j.out.writeUTF(s);
            }
            j.out.writeInt(schema.outputs().size());
            for (String s : schema.outputs()) {
                j.out.writeUTF(s);
            }
            j.out.writeLong(micros(now));
            j.frame();
            j.flush();
            return j;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Whether some writer (in this process or another) holds the journal's lock. */
    public static boolean isLocked(Path journal) {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    public Path path() {
        return path;
    }

    public LogSchema schema() {
        return schema;
    }

    public Instant hour() {
        return hour;
    }

    public long rows() {
        return rows;
    }

    /** Buffers one event; {@link #flush()} writes it. */
    public void append(PredictionEvent e) throws IOException {
        out.writeByte(EVENT);
        out.writeUTF(e.requestId());
        out.writeLong(micros(e.time()));
        out.writeLong(e.latencyNanos());
        out.writeInt(e.rows());
        for (float v : e.inputs()) {
            out.writeFloat(v);
        }
        for (float v : e.outputs()) {
            out.writeFloat(v);
        }
        frame();
        rows += e.rows();
    }

    /** Buffers the count of requests (and their rows) dropped while this journal was current. */
    public void appendDrops(long requests, long droppedRows) throws IOException {
        out.writeByte(DROPS);
        out.writeLong(requests);
        out.writeLong(droppedRows);
        frame();
    }

    public int buffered() {
        return pending.size();
    }

    /** Writes what is buffered to the file (the OS has it then: a killed process loses none of it). */
    public void flush() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        pending.reset();
    }

    /** Flushes and asks the disk to keep it (survives a power loss). */
    public void force() throws IOException {
        flush();
        channel.force(false);
    }

    private void frame() throws IOException {
        out.flush();
        byte[] payload = record.toByteArray();
        record.reset();
        crc.reset();
        crc.update(payload);
        DataOutputStream p = new DataOutputStream(pending);
        p.writeInt(payload.length);
        p.writeInt((int) crc.getValue());
        p.write(payload);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** Forces and closes; the lock goes with the channel. */
    @Override
    public void close() throws IOException {
        try {
            force();
        } finally {
            channel.close();
        }
    }

    /** Closes without writing what is buffered (after a failed write). */
    public void abandon() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is given up anyway; its whole records stay readable
        }
    }
}
