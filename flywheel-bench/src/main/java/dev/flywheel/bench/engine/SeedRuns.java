package dev.flywheel.bench.engine;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Fills a project with N recorded runs for the CLI benchmark ({@code flywheel runs list} on 10,000 runs): one real
 * run to record the pipeline, then N run rows written the way the orchestrator writes them, in batches.
 * Usage: {@code SeedRuns HOME COUNT}.
 */
public final class SeedRuns {
    private SeedRuns() {
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = home)) {
            seed(flywheel, count);
            System.out.println("seeded " + count + " runs in " + home);
        }
    }

    /** Records one real run, then {@code count} run rows in batches of 1,000. */
    public static void seed(Flywheel flywheel, int count) {
        {
            flywheel.run(NoOpSteps.chain(3, 0), RunOptions.defaults(), RunListener.NONE);
            RunRecords runs = new RunRecords(flywheel.metadata());
            Instant start = Instant.now().minusSeconds(count * 60L);
            for (int batch = 0; batch < count; batch += 1000) {
                int from = batch;
                flywheel.metadata().write(c -> {
                    for (int i = from; i < Math.min(count, from + 1000); i++) {
                        Instant at = start.plusSeconds(i * 60L);
                        runs.insertRun(c, new RunRecord(UUID.randomUUID().toString(), "chain_3", i % 17 == 0 ? RunStatus.FAILED : RunStatus.SUCCEEDED,
                                at, at.plusMillis(1234), "schedule", "{}", i % 17 == 0 ? "Step 's1' failed" : null, "bench", 1, null));
                    }
                    return null;
                });
            }
        }
    }
}
