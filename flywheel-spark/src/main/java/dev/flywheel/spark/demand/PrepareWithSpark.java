package dev.flywheel.spark.demand;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.spark.SparkSteps;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * Runs on the Spark step operator: reads the CSV batches with Spark (the newest is the fresh data, the others the
 * history, as in {@code demand_forecast}), keeps the feature and target columns as doubles, drops rows with a value
 * missing, and writes both parts as Parquet under {@code preparedFolder/RUN_ID}.
 */
public final class PrepareWithSpark {
    /**
     * @param folder         where the batches are ({@code data/incoming})
     * @param glob           which files are batches
     * @param preparedFolder where the Parquet goes (a folder the cluster can write and read)
     */
    public record Config(String folder, String glob, String preparedFolder, List<String> features, String target) {
    }

    @Step(output = "prepared")
    public PreparedData prepare(Config config, StepContext context) throws IOException {
        Path folder = Path.of(config.folder()).toAbsolutePath();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + config.glob());
        List<Path> batches;
        try (Stream<Path> files = Files.list(folder)) {
            batches = files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
        } catch (IOException e) {
            throw FlywheelException.invalid("cannot list the batches in " + folder + ": " + e.getMessage());
        }
        if (batches.size() < 2) {
            throw FlywheelException.invalid(folder + " holds " + batches.size() + " batch(es) matching " + config.glob()
                    + "; training needs at least two (history and a fresh batch)");
        }
        SparkSession spark = SparkSteps.session(context);
        Path out = Path.of(config.preparedFolder()).toAbsolutePath().resolve(context.runId());
        List<String> history = batches.subList(0, batches.size() - 1).stream().map(Path::toString).toList();
        String fresh = batches.getLast().toString();
        long historyRows = write(spark, history, config, out.resolve("history.parquet"));
        long freshRows = write(spark, List.of(fresh), config, out.resolve("fresh.parquet"));
        context.log("prepared %d history rows from %d batches and %d fresh rows from %s as Parquet in %s", historyRows, history.size(),
                freshRows, batches.getLast().getFileName(), out);
        context.metadata("history_rows", historyRows);
        context.metadata("fresh_rows", freshRows);
        return new PreparedData(out.resolve("history.parquet").toString(), out.resolve("fresh.parquet").toString(), historyRows, freshRows,
                config.features(), config.target(), history, fresh);
    }

    private static long write(SparkSession spark, List<String> files, Config config, Path parquet) {
        List<Column> cols = new ArrayList<>();
        for (String f : config.features()) {
            cols.add(col(f).cast("double").alias(f));
        }
        cols.add(col(config.target()).cast("double").alias(config.target()));
        Dataset<Row> rows = spark.read().option("header", "true").csv(files.toArray(String[]::new))
                .select(cols.toArray(Column[]::new)).na().drop();
        rows.write().mode("overwrite").parquet(parquet.toString());
        return spark.read().parquet(parquet.toString()).count();
    }
}
