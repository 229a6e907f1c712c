package dev.flywheel.sdk;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why a run was launched; stored with the run so its history says what started it. It lives in the SDK because
 * runs (engine, store) and triggers (scheduler) both use it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = LaunchReason.ScheduledFire.class, name = "scheduled"),
        @JsonSubTypes.Type(value = LaunchReason.NewFiles.class, name = "new_files"),
        @JsonSubTypes.Type(value = LaunchReason.NewRows.class, name = "new_rows"),
        @JsonSubTypes.Type(value = LaunchReason.Webhook.class, name = "webhook"),
        @JsonSubTypes.Type(value = LaunchReason.UpstreamRun.class, name = "upstream_run"),
        @JsonSubTypes.Type(value = LaunchReason.ModelDrift.class, name = "model_drift"),
        @JsonSubTypes.Type(value = LaunchReason.PerformanceDrop.class, name = "performance_drop"),
        @JsonSubTypes.Type(value = LaunchReason.Manual.class, name = "manual")})
public sealed interface LaunchReason {

    /** A schedule fired; {@code fireTime} is the planned time, not the (possibly later) launch time. */
    record ScheduledFire(String scheduleId, Instant fireTime) implements LaunchReason {
        public ScheduledFire {
            Objects.requireNonNull(scheduleId, "scheduleId");
            Objects.requireNonNull(fireTime, "fireTime");
        }
    }

    /** Enough new data arrived: either {@link NewFiles} or {@link NewRows}. */
    sealed interface DataArrived extends LaunchReason permits NewFiles, NewRows {
    }

    /**
     * New or changed files in a watched folder. Plain strings, so the reason stores and reads back the same on
     * every platform.
     *
     * @param folder the watched folder, absolute
     * @param files  the new or changed files, relative to {@code folder} with '/' separators, sorted; never empty
     */
    record NewFiles(String folder, List<String> files) implements DataArrived {
        public NewFiles {
            Objects.requireNonNull(folder, "folder");
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("NewFiles needs at least one file");
            }
            for (String f : files) {
                if (f.isEmpty() || f.startsWith("/") || Path.of(f).isAbsolute()) {
                    throw new IllegalArgumentException("NewFiles files are relative to the folder, got '" + f + "'");
                }
            }
        }

        /** The files as paths that can be opened ({@code folder} resolved with each file). */
        public List<Path> resolved() {
            Path base = Path.of(folder);
            return files.stream().map(base::resolve).toList();
        }
    }

    /** A table grew from {@code previousCount} to {@code currentCount} rows. */
    record NewRows(String table, long previousCount, long currentCount) implements DataArrived {
        public NewRows {
            Objects.requireNonNull(table, "table");
        }

        public long delta() {
            return currentCount - previousCount;
        }
    }

    /** A signed webhook call, identified by its delivery id. */
    record Webhook(String deliveryId) implements LaunchReason {
        public Webhook {
            Objects.requireNonNull(deliveryId, "deliveryId");
        }
    }

    /** Another pipeline's run finished (for example succeeded) and a rule says this pipeline runs next. */
    record UpstreamRun(String pipeline, String runId) implements LaunchReason {
        public UpstreamRun {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(runId, "runId");
        }
    }

    /**
     * A deployed model's live inputs drifted from its training data: in the logged requests of {@code [from, to)},
     * {@code driftedColumns} of the {@code columns} compared drifted, at least the trigger's share.
     *
     * @param drifted the drifted columns' names, sorted
     */
    record ModelDrift(String model, int version, int driftedColumns, int columns, List<String> drifted, long rows, Instant from, Instant to)
            implements LaunchReason {
        public ModelDrift {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            drifted = List.copyOf(drifted == null ? List.of() : drifted);
        }
    }

    /**
     * A deployed model's live metric crossed its threshold once ground truth arrived: {@code metric} was {@code value}
     * on {@code labelledRows} labelled predictions of {@code [from, to)}, {@code direction} ("above" or "below")
     * {@code threshold}.
     */
    record PerformanceDrop(String model, int version, String metric, double value, String direction, double threshold, long labelledRows,
                           Instant from, Instant to) implements LaunchReason {
        public PerformanceDrop {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** A person started the run (CLI, REST API, {@code pipeline.run()}). */
    record Manual() implements LaunchReason {
    }
}
