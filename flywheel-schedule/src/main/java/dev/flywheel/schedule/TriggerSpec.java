package dev.flywheel.schedule;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.flywheel.schedule.trigger.DriftTrigger;
import dev.flywheel.schedule.trigger.FolderTrigger;
import dev.flywheel.schedule.trigger.JdbcRowCountTrigger;
import dev.flywheel.schedule.trigger.PerformanceTrigger;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * What starts a pipeline besides time: data arriving, a signed webhook call, another pipeline finishing, a deployed
 * model's live data drifting or its live performance dropping.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = TriggerSpec.Folder.class, name = "folder"),
        @JsonSubTypes.Type(value = TriggerSpec.RowCount.class, name = "rows"),
        @JsonSubTypes.Type(value = TriggerSpec.Webhook.class, name = "webhook"),
        @JsonSubTypes.Type(value = TriggerSpec.PipelineFinished.class, name = "pipeline"),
        @JsonSubTypes.Type(value = TriggerSpec.Drift.class, name = "drift"),
        @JsonSubTypes.Type(value = TriggerSpec.Performance.class, name = "performance")})
public sealed interface TriggerSpec {

    /** The kind as stored and shown ({@code folder}, {@code rows}, {@code webhook}, {@code pipeline}, {@code drift}, {@code performance}). */
    String kind();

    /**
     * New or changed files matching {@code glob} in {@code folder} (see {@link FolderTrigger}). The run gets the
     * files as parameter {@code filesParam}: a JSON array of absolute paths, which a step config field of type
     * {@code List<String>} receives as the list.
     */
    record Folder(String folder, String glob, int minFiles, long minBytes, Duration debounce, String filesParam)
            implements TriggerSpec {
        public Folder {
            if (folder == null || folder.isBlank() || !Path.of(folder).isAbsolute()) {
                throw FlywheelException.invalid("Folder trigger needs an absolute folder, got '" + folder + "'");
            }
            if (filesParam == null || filesParam.isBlank()) {
                throw FlywheelException.invalid("Folder trigger on " + folder + " needs the name of the parameter that"
                        + " receives the files, for example 'files' or 'load.files'");
            }
            config(folder, glob, minFiles, minBytes, debounce);
        }

        public FolderTrigger.Config config() {
            return config(folder, glob, minFiles, minBytes, debounce);
        }

        private static FolderTrigger.Config config(String folder, String glob, int minFiles, long minBytes, Duration debounce) {
            return new FolderTrigger.Config(Path.of(folder), glob, minFiles, minBytes, debounce);
        }

        @Override
        public String kind() {
            return "folder";
        }
    }

    /** A table grew by at least {@code minNewRows} rows (see {@link JdbcRowCountTrigger}). */
    record RowCount(String jdbcUrl, String table, long minNewRows) implements TriggerSpec {
        public RowCount {
            trigger(jdbcUrl, table, minNewRows);
        }

        public JdbcRowCountTrigger trigger() {
            return trigger(jdbcUrl, table, minNewRows);
        }

        private static JdbcRowCountTrigger trigger(String jdbcUrl, String table, long minNewRows) {
            return new JdbcRowCountTrigger(jdbcUrl, new Properties(), table, minNewRows);
        }

        @Override
        public String kind() {
            return "rows";
        }
    }

    /**
     * A POST to the scheduler's {@code /hooks/ID}, signed GitHub-style with {@code secret}. The secret is stored in
     * the project's metadata store and never printed after creation.
     */
    record Webhook(String secret) implements TriggerSpec {
        public Webhook {
            if (secret == null || secret.length() < 16) {
                throw FlywheelException.invalid("Webhook secret must have at least 16 characters; leave it out to get a"
                        + " random one");
            }
        }

        @Override
        public String kind() {
            return "webhook";
        }

        @Override
        public String toString() {
            return "Webhook[secret=***]";
        }
    }

    /** A deployed model's logged requests drifted from its training data (see {@link DriftTrigger}). */
    record Drift(String model, Duration window, double share, long minRows, Duration cooldown, Duration checkEvery) implements TriggerSpec {
        public static final double DEFAULT_SHARE = 0.5;
        public static final long DEFAULT_MIN_ROWS = 100;
        public static final Duration DEFAULT_CHECK_EVERY = Duration.ofMinutes(1);

        public Drift {
            config(model, window, share, minRows, cooldown, checkEvery);
        }

        public DriftTrigger.Config config() {
            return config(model, window, share, minRows, cooldown, checkEvery);
        }

        private static DriftTrigger.Config config(String model, Duration window, double share, long minRows, Duration cooldown, Duration checkEvery) {
            return new DriftTrigger.Config(model, window, share, minRows, cooldown, checkEvery);
        }

        @Override
        public String kind() {
            return "drift";
        }
    }

    /** A deployed model's live metric crossed a threshold once ground truth arrived (see {@link PerformanceTrigger}). */
    record Performance(String model, String metric, Double above, Double below, Duration window, long minLabels, Duration cooldown,
                       Duration checkEvery) implements TriggerSpec {
        public static final long DEFAULT_MIN_LABELS = 200;

        public Performance {
            config(model, metric, above, below, window, minLabels, cooldown, checkEvery);
        }

        public PerformanceTrigger.Config config() {
            return config(model, metric, above, below, window, minLabels, cooldown, checkEvery);
        }

        private static PerformanceTrigger.Config config(String model, String metric, Double above, Double below, Duration window, long minLabels,
                                                        Duration cooldown, Duration checkEvery) {
            return new PerformanceTrigger.Config(model, metric, above, below, window, minLabels, cooldown, checkEvery);
        }

        @Override
        public String kind() {
            return "performance";
        }
    }

    /** When a run of {@code upstream} ends with one of {@code on}, run this trigger's pipeline. */
    record PipelineFinished(String upstream, Set<RunStatus> on) implements TriggerSpec {
        public PipelineFinished {
            Objects.requireNonNull(upstream, "upstream");
            if (on == null || on.isEmpty() || on.contains(RunStatus.RUNNING)) {
                throw FlywheelException.invalid("Pipeline trigger after '" + upstream + "' needs finished statuses to"
                        + " react to (SUCCEEDED, FAILED), got " + on);
            }
            on = Set.copyOf(on);
        }

        @Override
        public String kind() {
            return "pipeline";
        }
    }
}
