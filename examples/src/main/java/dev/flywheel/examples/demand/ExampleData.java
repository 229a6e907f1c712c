package dev.flywheel.examples.demand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small sample {@code flywheel init --example} writes into a new project: three months of generated demand data
 * ({@link DemandData}, about 2,200 rows) in {@code data/incoming/}, where the registered example pipelines read it, so
 * {@code flywheel run demand_forecast} works at once.
 */
public final class ExampleData {
    /** Months written; the pipeline trains on the first two and judges on the third. */
    public static final int MONTHS = 3;
    private static final long SEED = 42;

    private ExampleData() {
    }

    /** What was written (or kept, when a batch of that name was there already). */
    public record Sample(Path folder, List<Path> written, List<Path> kept) {
    }

    /** Writes the sample under {@code projectFolder}; never overwrites a batch that exists. */
    public static Sample write(Path projectFolder) {
        Path folder = projectFolder.resolve(DemandPipelines.DATA_FOLDER).toAbsolutePath().normalize();
        List<Path> written = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        for (int m = 0; m < MONTHS; m++) {
            Path file = folder.resolve(String.format("batch-%02d.csv", m + 1));
            if (Files.exists(file)) {
                kept.add(file);
            } else {
                written.add(DemandData.writeBatch(folder, m, SEED));
            }
        }
        return new Sample(folder, written, kept);
    }
}
