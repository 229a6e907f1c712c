package dev.flywheel.examples.demand;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.data.StringColumn;
import dev.flywheel.sdk.data.Table;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the newest data: every {@code batch-*.csv} in a folder, in name order. The newest batch is the fresh data
 * every model is judged on; the {@code window} batches before it are the history a model trains on. With a single
 * batch, its last quarter serves as fresh data. Each row keeps the name of its batch file, so validation can say
 * which file is bad.
 *
 * <p>When {@code files} is given (a folder trigger passes the files that just arrived as {@code --param
 * files=[...]}), those CSV files are the fresh data, and the {@code window} newest other batches of the folder are the
 * history.
 *
 * <p>Reads files outside Flywheel, so the pipeline runs it without the cache.
 *
 * @see dev.flywheel.sdk.DataFiles
 */
public final class LoadBatches {
    /** The files this step reads, as the pipelines declare them ({@code Pipeline.Builder#readsFiles}). */
    public static final String GLOB = "batch-*.csv";

    /**
     * @param folder the batches; relative to the folder the run starts in
     * @param window how many batches before the fresh one a model trains on
     * @param files  the fresh data, when a trigger names it (absolute paths); empty = the newest batch of the folder
     */
    public record Config(String folder, int window, List<String> files) {
        public Config {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1 batch, got " + window);
            }
            files = files == null ? List.of() : List.copyOf(files);
        }

        public Config(String folder, int window) {
            this(folder, window, List.of());
        }
    }

    /** Which batch files the tables came from, so later steps can name the file behind a problem. */
    public record BatchFiles(List<String> history, String fresh) {
    }

    @Outputs
    public record Batches(Table history, Table fresh, BatchFiles files) {
    }

    @Step
    public Batches load(Config config, StepContext context) throws IOException {
        Path folder = Path.of(config.folder());
        List<Path> freshFiles = config.files().isEmpty() ? List.of() : freshFiles(config.files(), context);
        List<Path> batches = freshFiles.isEmpty() ? batchFiles(folder) : otherBatches(folder, freshFiles);
        if (freshFiles.isEmpty()) {
            freshFiles = List.of(batches.removeLast());
        }
        Table fresh = readAll(freshFiles);
        Table history;
        List<Path> historyFiles = freshFiles;
        if (batches.isEmpty()) {
            Table.Split split = fresh.orderedSplit(0.25);
            history = split.train();
            fresh = split.test();
        } else {
            historyFiles = batches.subList(Math.max(0, batches.size() - config.window()), batches.size());
            history = readAll(historyFiles);
        }
        String freshNames = String.join(",", freshFiles.stream().map(p -> p.getFileName().toString()).toList());
        context.log("history: %d rows from %d batch files in %s; fresh: %d rows from %s", history.rowCount(),
                Math.min(batches.size(), config.window()), folder.toAbsolutePath(), fresh.rowCount(), freshNames);
        context.metadata("batches", batches.size() + freshFiles.size());
        context.metadata("fresh_batch", freshNames);
        return new Batches(history, fresh, new BatchFiles(historyFiles.stream().map(p -> p.getFileName().toString()).toList(), freshNames));
    }

    static List<Path> batchFiles(Path folder) throws IOException {
        List<Path> files = batches(folder);
        if (files.isEmpty()) {
            throw FlywheelException.invalid("No " + GLOB + " files in " + folder.toAbsolutePath() + "; add data before training "
                    + "(flywheel init --example writes a sample)");
        }
        return files;
    }

    private static List<Path> batches(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw FlywheelException.invalid("Data folder " + folder.toAbsolutePath() + " does not exist; flywheel init --example writes a "
                    + "sample there, or point the pipeline elsewhere with --param load_batches.folder=PATH");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, GLOB)) {
            s.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** The batches of the folder that are not the fresh files: the history to train on. */
    private static List<Path> otherBatches(Path folder, List<Path> fresh) throws IOException {
        List<Path> others = new ArrayList<>();
        for (Path p : Files.isDirectory(folder) ? batches(folder) : List.<Path>of()) {
            if (fresh.stream().noneMatch(f -> sameFile(f, p))) {
                others.add(p);
            }
        }
        return others;
    }

    /** The given files that are CSV files; a trigger watching everything may also pass other files, which are skipped. */
    private static List<Path> freshFiles(List<String> given, StepContext context) {
        List<Path> csv = new ArrayList<>();
        for (String name : given) {
            Path p = Path.of(name);
            if (!Files.isRegularFile(p)) {
                throw FlywheelException.invalid("Fresh data file " + p.toAbsolutePath() + " (parameter files) does not exist");
            }
            if (p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                csv.add(p);
            } else {
                context.log("skipped %s: not a .csv file", p);
            }
        }
        if (csv.isEmpty()) {
            throw FlywheelException.invalid("None of the files passed as fresh data is a .csv file: " + given);
        }
        csv.sort(null);
        return csv;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static Table readAll(List<Path> files) {
        Table all = read(files.get(0));
        for (Path p : files.subList(1, files.size())) {
            all = all.concat(read(p));
        }
        return all;
    }

    private static Table read(Path file) {
        Table t = Table.readCsv(file);
        String[] batch = new String[t.rowCount()];
        Arrays.fill(batch, file.getFileName().toString());
        return t.withColumn("batch", new StringColumn(batch));
    }
}
