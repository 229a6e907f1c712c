package dev.flywheel.predictionlog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where log files live: {@code DIR/MODEL/yyyy-MM-dd/HH/vVERSION-INSTANCE-SEQ.journal} while a server writes
 * (UTC hours), the same name {@code .parquet} once sealed, {@code vVERSION-compacted-MILLIS.parquet} once an hour's
 * parts are merged. The folder names are the hour, so a reader lists only the hours it wants.
 */
public final class LogLayout {
    public static final String JOURNAL = ".journal";
    public static final String PARQUET = ".parquet";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private LogLayout() {
    }

    public static Instant hourOf(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    public static Path hourDir(Path dir, String model, Instant hour) {
        return dir.resolve(model).resolve(DAY.format(hour)).resolve(HOUR.format(hour));
    }

    /** The hour a folder {@code MODEL/yyyy-MM-dd/HH} stands for, or null for a folder that is not one. */
    public static Instant hourOfDir(Path hourDir) {
        try {
            return Instant.parse(hourDir.getParent().getFileName() + "T" + hourDir.getFileName() + ":00:00Z");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every hour folder of {@code model}, oldest first. */
    public static List<Path> hourDirs(Path dir, String model) throws IOException {
        Path modelDir = dir.resolve(model);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(modelDir)) {
            return out;
        }
        try (Stream<Path> days = Files.list(modelDir)) {
            for (Path day : days.sorted().toList()) {
                if (!Files.isDirectory(day)) {
                    continue;
                }
                try (Stream<Path> hours = Files.list(day)) {
                    hours.filter(h -> Files.isDirectory(h) && hourOfDir(h) != null).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** The models that have a log folder. */
    public static List<String> models(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public static List<Path> files(Path hourDir, String suffix) throws IOException {
        if (!Files.isDirectory(hourDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(hourDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** {@code v3-...} -> 3, or -1 for a name of another shape. */
    public static int versionOf(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        if (!name.startsWith("v") || dash < 2) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(1, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static Path sealedName(Path journal) {
        String name = journal.getFileName().toString();
        return journal.resolveSibling(name.substring(0, name.length() - JOURNAL.length()) + PARQUET);
    }
}
