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
 * <p>Reads files outside Flywheel, so the pipeline runs it without the cache.
 */
public final class LoadBatches {
    public record Config(String folder, int window) {
        public Config {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1 batch, got " + window);
            }
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
        List<Path> files = batchFiles(folder);
        Table fresh = read(files.get(files.size() - 1));
        Table history;
        List<Path> window = files.size() == 1 ? files : files.subList(Math.max(0, files.size() - 1 - config.window()), files.size() - 1);
        if (files.size() == 1) {
            Table.Split split = fresh.orderedSplit(0.25);
            history = split.train();
            fresh = split.test();
        } else {
            history = read(window.get(0));
            for (Path p : window.subList(1, window.size())) {
                history = history.concat(read(p));
            }
        }
        context.log("history: %d rows, fresh: %d rows, from %d batch files in %s", history.rowCount(), fresh.rowCount(), files.size(), folder);
        context.metadata("batches", files.size());
        context.metadata("fresh_batch", files.get(files.size() - 1).getFileName().toString());
        return new Batches(history, fresh, new BatchFiles(window.stream().map(p -> p.getFileName().toString()).toList(),
                files.get(files.size() - 1).getFileName().toString()));
    }

    static List<Path> batchFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw FlywheelException.invalid("Data folder " + folder.toAbsolutePath() + " does not exist; set it with --param load_batches.folder=PATH");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "batch-*.csv")) {
            s.forEach(files::add);
        }
        if (files.isEmpty()) {
            throw FlywheelException.invalid("No batch-*.csv files in " + folder.toAbsolutePath() + "; add data before training");
        }
        files.sort(null);
        return files;
    }

    private static Table read(Path file) {
        Table t = Table.readCsv(file);
        String[] batch = new String[t.rowCount()];
        Arrays.fill(batch, file.getFileName().toString());
        return t.withColumn("batch", new StringColumn(batch));
    }
}
