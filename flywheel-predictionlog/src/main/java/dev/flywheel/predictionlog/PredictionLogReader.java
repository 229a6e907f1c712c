package dev.flywheel.predictionlog;

import dev.flywheel.predictionlog.internal.JournalReader;
import dev.flywheel.predictionlog.internal.LogLayout;
import dev.flywheel.predictionlog.internal.ParquetLogFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a model's logged predictions in a time window from the sealed Parquet files and from the journals servers
 * are still writing (or a killed one left), so the last minutes are there too. Never writes.
 */
public final class PredictionLogReader {
    private final Path dir;

    public PredictionLogReader(Path dir) {
        this.dir = dir;
    }

    /** What a window holds: rows per file (each with its served version's columns), drops and unreadable files. */
    public record Window(List<LoggedRows> parts, long droppedRequests, long droppedRows, List<String> problems) {
        public long rows() {
            return parts.stream().mapToLong(LoggedRows::size).sum();
        }
    }

    /** The models with logs. */
    public List<String> models() throws IOException {
        return LogLayout.models(dir);
    }

    /** Rows of {@code model} answered in {@code [from, to)}. */
    public Window read(String model, Instant from, Instant to) throws IOException {
        long fromMicros = micros(from);
        long toMicros = micros(to);
        List<LoggedRows> parts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long droppedRequests = 0;
        long droppedRows = 0;
        for (Path hour : LogLayout.hourDirs(dir, model)) {
            Instant h = LogLayout.hourOfDir(hour);
            if (h.plusSeconds(3600).compareTo(from) <= 0 || !h.isBefore(to)) {
                continue;
            }
            List<Path> parquet = LogLayout.files(hour, LogLayout.PARQUET);
            Set<String> replaced = new HashSet<>();
            for (Path p : parquet) {
                if (p.getFileName().toString().contains("-compacted-")) {
                    try {
                        replaced.addAll(ParquetLogFile.replaces(p));
                    } catch (IOException e) {
                        problems.add(e.getMessage());
                    }
                }
            }
            Set<String> sealed = new HashSet<>();
            for (Path p : parquet) {
                String name = p.getFileName().toString();
                if (replaced.contains(name)) {
                    continue;
                }
                sealed.add(name);
                try {
                    ParquetLogFile.Contents c = ParquetLogFile.read(p);
                    parts.add(filter(c.rows(), fromMicros, toMicros));
                    droppedRequests += c.droppedRequests();
                    droppedRows += c.droppedRows();
                } catch (NoSuchFileException gone) {
                    // merged away while we read; the merged file holds its rows (listed already or next time)
                } catch (IOException e) {
                    problems.add(e.getMessage());
                }
            }
            for (Path j : LogLayout.files(hour, LogLayout.JOURNAL)) {
                if (sealed.contains(LogLayout.sealedName(j).getFileName().toString())) {
                    continue;
                }
                try {
                    JournalReader.Contents c = JournalReader.read(j);
                    parts.add(filter(rows(c), fromMicros, toMicros));
                    droppedRequests += c.droppedRequests();
                    droppedRows += c.droppedRows();
                } catch (NoSuchFileException sealedMeanwhile) {
                    Path p = LogLayout.sealedName(j);
                    if (Files.exists(p)) {
                        ParquetLogFile.Contents c = ParquetLogFile.read(p);
                        parts.add(filter(c.rows(), fromMicros, toMicros));
                    }
                } catch (IOException e) {
                    if (Files.exists(j) && Files.size(j) > 64) {
                        problems.add(e.getMessage());
                    }
                }
            }
        }
        parts.removeIf(r -> r.size() == 0);
        return new Window(List.copyOf(parts), droppedRequests, droppedRows, List.copyOf(problems));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static LoggedRows rows(JournalReader.Contents c) {
        LogSchema s = c.schema();
        int n = Math.toIntExact(c.rows());
        int in = s.inputs().size();
        int out = s.outputs().size();
        String[] ids = new String[n];
        int[] rowIn = new int[n];
        long[] times = new long[n];
        double[] latency = new double[n];
        float[][] x = new float[in][n];
        float[][] y = new float[out][n];
        int i = 0;
        for (JournalReader.Event e : c.events()) {
            for (int r = 0; r < e.rows(); r++, i++) {
                ids[i] = e.requestId();
                rowIn[i] = r;
                times[i] = e.timeMicros();
                latency[i] = e.latencyNanos() / 1e6;
                for (int k = 0; k < in; k++) {
                    x[k][i] = e.inputs()[r * in + k];
                }
                for (int k = 0; k < out; k++) {
                    y[k][i] = e.outputs()[r * out + k];
                }
            }
        }
        return new LoggedRows(s, ids, rowIn, times, latency, x, y);
    }

    private static LoggedRows filter(LoggedRows r, long from, long to) {
        int n = 0;
        for (long t : r.timesMicros()) {
            if (t >= from && t < to) {
                n++;
            }
        }
        if (n == r.size()) {
            return r;
        }
        String[] ids = new String[n];
        int[] rowIn = new int[n];
        long[] times = new long[n];
        double[] latency = new double[n];
        float[][] x = new float[r.inputs().length][n];
        float[][] y = new float[r.outputs().length][n];
        int j = 0;
        for (int i = 0; i < r.size(); i++) {
            long t = r.timesMicros()[i];
            if (t < from || t >= to) {
                continue;
            }
            ids[j] = r.requestIds()[i];
            rowIn[j] = r.rowInRequest()[i];
            times[j] = t;
            latency[j] = r.latencyMillis()[i];
            for (int k = 0; k < x.length; k++) {
                x[k][j] = r.inputs()[k][i];
            }
            for (int k = 0; k < y.length; k++) {
                y[k][j] = r.outputs()[k][i];
            }
            j++;
        }
        return new LoggedRows(r.schema(), ids, rowIn, times, latency, x, y);
    }
}
