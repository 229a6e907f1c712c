package dev.flywheel.predictionlog.internal;

import dev.flywheel.predictionlog.LogSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns journals into Parquet and merges an hour's Parquet parts into one file. Every step is safe to repeat and
 * to be killed in the middle: a Parquet file appears only complete (temporary name, fsync, rename), a journal is
 * deleted only once its Parquet file exists, and a merged file names the parts it replaces, which readers then
 * skip until they are deleted.
 */
public final class Sealer {
    private static final Logger log = LoggerFactory.getLogger(Sealer.class);

    private Sealer() {
    }

    /**
     * Seals one journal whose writer is gone: its whole records become {@code NAME.parquet}, then the journal is
     * deleted. A journal without a whole header held no rows and is just deleted.
     *
     * @return rows written (0 when there was nothing or it was already sealed)
     */
    public static long seal(Path journal) throws IOException {
        Path target = LogLayout.sealedName(journal);
        if (Files.exists(target)) {
            Files.deleteIfExists(journal);
            return 0;
        }
        JournalReader.Contents c;
        try {
            c = JournalReader.read(journal);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            if (Files.size(journal) < 64) {
                Files.deleteIfExists(journal);
                return 0;
            }
            throw e;
        }
        if (c.tornTail()) {
            log.warn("prediction journal {} ended in a torn record (its writer was killed); keeping its {} whole requests",
                    journal, c.events().size());
        }
        long rows = ParquetLogFile.write(target, c.schema(), sink -> {
            for (JournalReader.Event e : c.events()) {
                sink.accept(e.requestId(), e.timeMicros(), e.latencyNanos(), e.rows(), e.inputs(), e.outputs());
            }
        }, c.droppedRequests(), c.droppedRows(), List.of());
        Files.deleteIfExists(journal);
        return rows;
    }

    /**
     * Seals every journal under {@code dir} no writer holds, deletes leftover temporary files, and compacts every
     * hour before {@code now}'s.
     */
    public static void recover(Path dir, Instant now) throws IOException {
        for (String model : LogLayout.models(dir)) {
            for (Path hour : LogLayout.hourDirs(dir, model)) {
                for (Path tmp : LogLayout.files(hour, ".tmp")) {
                    Files.deleteIfExists(tmp);
                }
                for (Path j : LogLayout.files(hour, LogLayout.JOURNAL)) {
                    if (!Journal.isLocked(j)) {
                        seal(j);
                    }
                }
                Instant h = LogLayout.hourOfDir(hour);
                if (h != null && h.isBefore(LogLayout.hourOf(now))) {
                    compact(hour);
                }
            }
        }
    }

    /**
     * Merges each version's Parquet parts in a finished hour into one file, when no journal of that version is
     * left there. Parts an earlier merge replaced are deleted first.
     */
    public static void compact(Path hourDir) throws IOException {
        List<Path> parquet = LogLayout.files(hourDir, LogLayout.PARQUET);
        Set<String> replaced = new HashSet<>();
        for (Path p : parquet) {
            if (p.getFileName().toString().contains("-compacted-")) {
                replaced.addAll(ParquetLogFile.replaces(p));
            }
        }
        for (String name : replaced) {
            Files.deleteIfExists(hourDir.resolve(name));
        }
        Set<Integer> withJournal = new HashSet<>();
        for (Path j : LogLayout.files(hourDir, LogLayout.JOURNAL)) {
            withJournal.add(LogLayout.versionOf(j));
        }
        Map<Integer, List<Path>> byVersion = new TreeMap<>();
        for (Path p : LogLayout.files(hourDir, LogLayout.PARQUET)) {
            byVersion.computeIfAbsent(LogLayout.versionOf(p), v -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<Integer, List<Path>> e : byVersion.entrySet()) {
            if (e.getKey() < 1 || withJournal.contains(e.getKey()) || e.getValue().size() < 2) {
                continue;
            }
            merge(hourDir, e.getKey(), e.getValue());
        }
    }

    private static void merge(Path hourDir, int version, List<Path> parts) throws IOException {
        List<ParquetLogFile.Contents> contents = new ArrayList<>();
        LogSchema schema = null;
        for (Path p : parts) {
            ParquetLogFile.Contents c = ParquetLogFile.read(p);
            if (schema != null && !schema.equals(c.rows().schema())) {
                log.warn("not compacting {}: its parts of version {} have different columns", hourDir, version);
                return;
            }
            schema = c.rows().schema();
            contents.add(c);
        }
        long droppedRequests = contents.stream().mapToLong(ParquetLogFile.Contents::droppedRequests).sum();
        long droppedRows = contents.stream().mapToLong(ParquetLogFile.Contents::droppedRows).sum();
        Path target = hourDir.resolve("v" + version + "-compacted-" + System.currentTimeMillis() + LogLayout.PARQUET);
        List<String> names = parts.stream().map(p -> p.getFileName().toString()).toList();
        ParquetLogFile.write(target, schema, sink -> {
            for (ParquetLogFile.Contents c : contents) {
                var r = c.rows();
                int in = r.inputs().length;
                int out = r.outputs().length;
                for (int i = 0; i < r.size(); i++) {
                    float[] x = new float[in];
                    for (int k = 0; k < in; k++) {
                        x[k] = r.inputs()[k][i];
                    }
                    float[] y = new float[out];
                    for (int k = 0; k < out; k++) {
                        y[k] = r.outputs()[k][i];
                    }
                    // One row at a time, keeping each row's own index within its request.
                    sink.acceptRow(r.requestIds()[i], r.rowInRequest()[i], r.timesMicros()[i], r.latencyMillis()[i], x, y);
                }
            }
        }, droppedRequests, droppedRows, names);
        for (Path p : parts) {
            Files.deleteIfExists(p);
        }
    }
}
