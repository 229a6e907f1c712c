package dev.flywheel.predictionlog.internal;

import dev.flywheel.predictionlog.LogSchema;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads a {@link Journal}, keeping every whole record and stopping at the first torn or damaged one (the end a
 * killed writer left half-written). Safe to run while a writer appends: it reads what is there.
 */
public final class JournalReader {
    /** Largest record accepted: a length above it is damage, not a record. */
    private static final int MAX_RECORD = 256 * 1024 * 1024;

    private JournalReader() {
    }

    /** What a journal holds. {@code tornTail}: bytes after the last whole record were ignored. */
    public record Contents(LogSchema schema, long createdMicros, List<Event> events, long droppedRequests, long droppedRows,
                           boolean tornTail) {
        public long rows() {
            return events.stream().mapToLong(Event::rows).sum();
        }
    }

    public record Event(String requestId, long timeMicros, long latencyNanos, int rows, float[] inputs, float[] outputs) {
    }

    /**
     * @throws IOException when the file cannot be read, or has no whole header (then it holds no rows either)
     */
    public static Contents read(Path journal) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(journal), 64 * 1024)) {
            DataInputStream in = new DataInputStream(raw);
            byte[] magic = new byte[Journal.MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                throw new IOException("journal " + journal + " has no header (the writer stopped before writing it)");
            }
            if (!Arrays.equals(magic, Journal.MAGIC)) {
                throw new IOException("file " + journal + " is not a Flywheel prediction journal");
            }
            byte[] header = next(in);
            if (header == null || header[0] != Journal.HEADER) {
                throw new IOException("journal " + journal + " has no whole header");
            }
            DataInputStream h = new DataInputStream(new ByteArrayInputStream(header, 1, header.length - 1));
            String model = h.readUTF();
            int version = h.readInt();
            List<String> inputs = names(h);
            List<String> outputs = names(h);
            long created = h.readLong();
            LogSchema schema = new LogSchema(model, version, inputs, outputs);
            int in0 = inputs.size();
            int out0 = outputs.size();
            List<Event> events = new ArrayList<>();
            long droppedRequests = 0;
            long droppedRows = 0;
            boolean torn = false;
            while (true) {
                byte[] rec;
                try {
                    rec = next(in);
                } catch (IOException damaged) {
                    torn = true;
                    break;
                }
                if (rec == null) {
                    break;
                }
                DataInputStream r = new DataInputStream(new ByteArrayInputStream(rec, 1, rec.length - 1));
                switch (rec[0]) {
                    case Journal.EVENT -> {
                        String id = r.readUTF();
                        long t = r.readLong();
                        long latency = r.readLong();
                        int rows = r.readInt();
                        float[] x = new float[rows * in0];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = r.readFloat();
                        }
                        float[] y = new float[rows * out0];
                        for (int i = 0; i < y.length; i++) {
                            y[i] = r.readFloat();
                        }
                        events.add(new Event(id, t, latency, rows, x, y));
                    }
                    case Journal.DROPS -> {
                        droppedRequests = r.readLong();
                        droppedRows = r.readLong();
                    }
                    default -> {
                        torn = true;
                    }
                }
                if (torn) {
                    break;
                }
            }
            return new Contents(schema, created, events, droppedRequests, droppedRows, torn);
        }
    }

    private static List<String> names(DataInputStream h) throws IOException {
        int n = h.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(h.readUTF());
        }
        return out;
    }

    /** The next whole record, null at a clean end; IOException for a torn or damaged one. */
    private static byte[] next(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        int expected = in.readInt();
        if (length < 1 || length > MAX_RECORD) {
            throw new IOException("record length " + length + " out of range");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != expected) {
            throw new IOException("record checksum mismatch");
        }
        return payload;
    }
}
