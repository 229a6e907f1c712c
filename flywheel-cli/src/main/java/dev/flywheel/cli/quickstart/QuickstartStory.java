package dev.flywheel.cli.quickstart;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.TextTable;
import dev.flywheel.examples.demand.DemandData;
import dev.flywheel.examples.demand.DemandPipelines;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.model.Model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The quickstart: generated data arrives month by month in a folder; after each batch the training pipeline runs
 * again (load, validate, train, evaluate on the fresh month); one batch is corrupted on purpose and validation stops
 * that run. Everything is recorded in the quickstart's own project folder.
 */
public final class QuickstartStory {
    private final Path dir;
    private final int batches;
    private final long seed;
    private final PrintWriter out;

    public QuickstartStory(Path dir, int batches, long seed, PrintWriter out) {
        this.dir = dir;
        this.batches = batches;
        this.seed = seed;
        this.out = out;
    }

    public int run() {
        Path data = dir.resolve("data/incoming");
        Path home = dir.resolve(".flywheel");
        recreate();
        int corrupted = Math.max(2, batches - 2);
        out.printf("Flywheel quickstart: %d monthly batches of generated demand data arrive in %s%n", batches, data);
        out.printf("Project: %s (inspect it later with: cd %s && flywheel runs list)%n%n", home, dir);
        TextTable summary = new TextTable("BATCH", "RUN", "STATUS", "MODEL", "RMSE", "MAE", "NOTE");
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            Pipeline pipeline = DemandPipelines.training(data.toString());
            for (int month = 0; month < batches; month++) {
                Path batch = DemandData.writeBatch(data, month, seed);
                String note = "";
                if (month + 1 == corrupted) {
                    corrupt(batch);
                    note = "corrupted on purpose: temperature in Fahrenheit";
                }
                out.printf("New data: %s%n", data.getParent().relativize(batch));
                RunResult r = flywheel.run(pipeline, RunOptions.defaults().withTrigger("data:" + batch.getFileName()), RunListener.NONE);
                if (r.succeeded()) {
                    Model m = flywheel.artifacts().load(r.artifactId("train_xgboost", "model"), Model.class);
                    out.printf("  run %s succeeded in %s: rmse %.1f on the fresh month%n", Formats.shortId(r.runId()),
                            Formats.duration(r.duration()), m.metrics().get("rmse"));
                    summary.row(batch.getFileName(), Formats.shortId(r.runId()), "succeeded", m.name(),
                            String.format("%.1f", m.metrics().get("rmse")), String.format("%.1f", m.metrics().get("mae")), note);
                } else {
                    out.printf("  run %s stopped: %s%n", Formats.shortId(r.runId()), r.error());
                    summary.row(batch.getFileName(), Formats.shortId(r.runId()), "FAILED", "-", "-", "-", note.isEmpty() ? "see runs describe" : note);
                    removeCorrupt(batch, month);
                }
            }
        }
        out.println();
        summary.print(out);
        out.println();
        out.println("Explore what was recorded:");
        out.printf("  cd %s%n", dir);
        out.println("  flywheel runs list");
        out.println("  flywheel runs describe RUN --logs");
        out.println("  flywheel artifacts list");
        out.flush();
        return 0;
    }

    private void removeCorrupt(Path batch, int month) {
        try {
            Files.deleteIfExists(batch);
            out.printf("  (the bad file is removed and the data team resends it)%n");
            DemandData.writeBatch(batch.getParent(), month, seed);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot replace " + batch + ": " + e.getMessage());
        }
    }

    private static void corrupt(Path batch) {
        try {
            String csv = Files.readString(batch);
            StringBuilder fixed = new StringBuilder();
            String[] lines = csv.split("\n");
            int temp = java.util.Arrays.asList(lines[0].split(",")).indexOf("temp");
            fixed.append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",");
                cells[temp] = String.format("%.1f", Double.parseDouble(cells[temp]) * 50 + 32);
                fixed.append(String.join(",", cells)).append('\n');
            }
            Files.writeString(batch, fixed);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + batch + ": " + e.getMessage());
        }
    }

    private void recreate() {
        try {
            if (Files.exists(dir)) {
                if (!Files.exists(dir.resolve(".flywheel")) && !Files.exists(dir.resolve("data"))) {
                    throw FlywheelException.invalid("Folder " + dir + " exists and is not a quickstart folder; choose another one with --dir");
                }
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create " + dir + ": " + e.getMessage());
        }
    }
}
