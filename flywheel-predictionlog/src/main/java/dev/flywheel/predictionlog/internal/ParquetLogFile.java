package dev.flywheel.predictionlog.internal;

import dev.flywheel.predictionlog.LogSchema;
import dev.flywheel.predictionlog.LoggedRows;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sealed hour of logs as one Parquet file: one row per input row, columns {@code request_id, row, timestamp
 * (UTC micros), model, version, latency_ms}, then one FLOAT column per model input and per output, named as the
 * model names them (an input that would clash with a fixed column gets {@code input_} in front). The schema's real
 * names and the drops are in the file's key-value metadata ({@code flywheel.*}), so other tools read a plain table.
 * Files are written beside their final name and renamed once complete and on disk: a reader never sees half a file.
 */
public final class ParquetLogFile {
    static final List<String> FIXED = List.of("request_id", "row", "timestamp", "model", "version", "latency_ms");
    private static final int FIXED_COLUMNS = FIXED.size();

    private ParquetLogFile() {
    }

    /** A file's rows and metadata. */
    public record Contents(LoggedRows rows, long droppedRequests, long droppedRows, List<String> replaces) {
    }

    /** A source of events to write, in order. */
    public interface Rows {
        void forEach(EventSink sink) throws IOException;
    }

    /** Where {@link Rows} puts its rows: whole requests, or single rows (when merging files). */
    public interface EventSink {
        void accept(String requestId, long timeMicros, long latencyNanos, int rows, float[] inputs, float[] outputs)
                throws IOException;

        void acceptRow(String requestId, int row, long timeMicros, double latencyMillis, float[] inputs, float[] outputs)
                throws IOException;
    }

    public static MessageType schema(LogSchema s) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("request_id");
        b.required(PrimitiveTypeName.INT32).named("row");
        b.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                .named("timestamp");
        b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("model");
        b.required(PrimitiveTypeName.INT32).named("version");
        b.required(PrimitiveTypeName.DOUBLE).named("latency_ms");
        for (String name : columnNames(s)) {
            b.required(PrimitiveTypeName.FLOAT).named(name);
        }
        return b.named("prediction");
    }

    /** Parquet column names of the inputs then the outputs, unique and clear of the fixed columns. */
    static List<String> columnNames(LogSchema s) {
        Set<String> taken = new HashSet<>(FIXED);
        List<String> out = new ArrayList<>();
        for (String n : s.inputs()) {
            out.add(unique(n, "input_", taken));
        }
        for (String n : s.outputs()) {
            out.add(unique(n, "output_", taken));
        }
        return out;
    }

    private static String unique(String name, String prefix, Set<String> taken) {
        String n = name;
        while (!taken.add(n)) {
            n = prefix + n;
        }
        return n;
    }

    /** Writes {@code rows} to {@code target} through a temporary file, fsync and an atomic rename. */
    public static long write(Path target, LogSchema s, Rows rows, long droppedRequests, long droppedRows, List<String> replaces)
            throws IOException {
        MessageType type = schema(s);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("flywheel.model", s.model());
        meta.put("flywheel.version", Integer.toString(s.version()));
        meta.put("flywheel.inputs", Integer.toString(s.inputs().size()));
        for (int i = 0; i < s.inputs().size(); i++) {
            meta.put("flywheel.input." + i, s.inputs().get(i));
        }
        meta.put("flywheel.outputs", Integer.toString(s.outputs().size()));
        for (int i = 0; i < s.outputs().size(); i++) {
            meta.put("flywheel.output." + i, s.outputs().get(i));
        }
        meta.put("flywheel.dropped.requests", Long.toString(droppedRequests));
        meta.put("flywheel.dropped.rows", Long.toString(droppedRows));
        if (!replaces.isEmpty()) {
            meta.put("flywheel.replaces", String.join("/", replaces));
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        long[] written = {0};
        int inCols = s.inputs().size();
        int outCols = s.outputs().size();
        String model = s.model();
        int version = s.version();
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withConf(new PlainParquetConfiguration())
                .withType(type)
                .withCodecFactory(new SnappyCodecs())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(16L * 1024 * 1024)
                .withExtraMetaData(meta)
                .build()) {
            rows.forEach(new EventSink() {
                @Override
                public void accept(String id, long t, long latency, int n, float[] x, float[] y) throws IOException {
                    double ms = latency / 1e6;
                    for (int r = 0; r < n; r++) {
                        Group g = row(id, r, t, ms);
                        for (int c = 0; c < inCols; c++) {
                            g.add(FIXED_COLUMNS + c, x[r * inCols + c]);
                        }
                        for (int c = 0; c < outCols; c++) {
                            g.add(FIXED_COLUMNS + inCols + c, y[r * outCols + c]);
                        }
                        w.write(g);
                        written[0]++;
                    }
                }

                @Override
                public void acceptRow(String id, int r, long t, double ms, float[] x, float[] y) throws IOException {
                    Group g = row(id, r, t, ms);
                    for (int c = 0; c < inCols; c++) {
                        g.add(FIXED_COLUMNS + c, x[c]);
                    }
                    for (int c = 0; c < outCols; c++) {
                        g.add(FIXED_COLUMNS + inCols + c, y[c]);
                    }
                    w.write(g);
                    written[0]++;
                }

                private Group row(String id, int r, long t, double ms) {
                    Group g = groups.newGroup();
                    g.add(0, id);
                    g.add(1, r);
                    g.add(2, t);
                    g.add(3, model);
                    g.add(4, version);
                    g.add(5, ms);
                    return g;
                }
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return written[0];
    }

    /** The file names a compacted file replaced (read from its footer only). */
    public static List<String> replaces(Path file) throws IOException {
        try (ParquetFileReader r = open(file)) {
            return replaces(r.getFooter().getFileMetaData().getKeyValueMetaData());
        }
    }

    private static List<String> replaces(Map<String, String> meta) {
        String v = meta.get("flywheel.replaces");
        return v == null || v.isEmpty() ? List.of() : List.of(v.split("/"));
    }

    private static ParquetFileReader open(Path file) throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        return ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(conf).withCodecFactory(new SnappyCodecs()).build());
    }

    public static Contents read(Path file) throws IOException {
        try (ParquetFileReader r = open(file)) {
            Map<String, String> meta = r.getFooter().getFileMetaData().getKeyValueMetaData();
            MessageType type = r.getFooter().getFileMetaData().getSchema();
            LogSchema s = schemaOf(file, meta);
            int n = Math.toIntExact(r.getRecordCount());
            int inCols = s.inputs().size();
            int outCols = s.outputs().size();
            if (type.getFieldCount() != FIXED_COLUMNS + inCols + outCols) {
                throw new IOException("prediction log " + file + " has " + type.getFieldCount() + " columns, its metadata says "
                        + (FIXED_COLUMNS + inCols + outCols));
            }
            String[] ids = new String[n];
            int[] rowIn = new int[n];
            long[] times = new long[n];
            double[] latency = new double[n];
            float[][] x = new float[inCols][n];
            float[][] y = new float[outCols][n];
            int i = 0;
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> rr = new ColumnIOFactory().getColumnIO(type)
                        .getRecordReader(pages, new GroupRecordConverter(type));
                for (long k = 0; k < pages.getRowCount(); k++, i++) {
                    Group g = rr.read();
                    ids[i] = g.getString(0, 0);
                    rowIn[i] = g.getInteger(1, 0);
                    times[i] = g.getLong(2, 0);
                    latency[i] = g.getDouble(5, 0);
                    for (int c = 0; c < inCols; c++) {
                        x[c][i] = g.getFloat(FIXED_COLUMNS + c, 0);
                    }
                    for (int c = 0; c < outCols; c++) {
                        y[c][i] = g.getFloat(FIXED_COLUMNS + inCols + c, 0);
                    }
                }
            }
            return new Contents(new LoggedRows(s, ids, rowIn, times, latency, x, y),
                    parseLong(meta, "flywheel.dropped.requests"), parseLong(meta, "flywheel.dropped.rows"), replaces(meta));
        } catch (RuntimeException e) {
            throw new IOException("prediction log " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static LogSchema schemaOf(Path file, Map<String, String> meta) throws IOException {
        try {
            List<String> in = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(meta.get("flywheel.inputs")); i++) {
                in.add(meta.get("flywheel.input." + i));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(meta.get("flywheel.outputs")); i++) {
                out.add(meta.get("flywheel.output." + i));
            }
            return new LogSchema(meta.get("flywheel.model"), Integer.parseInt(meta.get("flywheel.version")), in, out);
        } catch (RuntimeException e) {
            throw new IOException("file " + file + " is not a Flywheel prediction log (its flywheel.* metadata is missing or wrong)");
        }
    }

    private static long parseLong(Map<String, String> meta, String key) {
        String v = meta.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }
}
