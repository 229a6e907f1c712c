package dev.flywheel.server.internal;

import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.RegisteredModel;
import dev.flywheel.registry.StageChange;
import dev.flywheel.runtime.AlertRecord;
import dev.flywheel.runtime.Artifacts;
import dev.flywheel.runtime.MonitorReport;
import dev.flywheel.runtime.MonitorStatus;
import dev.flywheel.schedule.SourceViews;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.ArtifactRecord;
import dev.flywheel.store.metadata.PipelineRecord;
import dev.flywheel.store.metadata.RunRecord;

import java.util.List;
import java.util.Map;

/** What each dashboard page shows: plain values the templates print (they compute nothing). */
public final class Pages {
    private Pages() {
    }

    /** A row of a runs table. */
    public record RunRow(RunRecord run, Long durationMillis, int steps, int cachedSteps) {
    }

    /** A row of a services table. */
    public record ServiceRow(String uuid, String name, String status, String model, int version, String follows, boolean inSync,
                             String mismatch, String url, int restarts, String lastError, String pipeline, RolloutView rollout) {
    }

    public record Overview(List<RunRow> latestRuns, long totalRuns, List<RegisteredModel> models, List<ServiceRow> services,
                           List<SourceViews.ScheduleView> schedules, int triggers, List<AlertRecord> alerts) {
    }

    public record RunsPage(List<RunRow> runs, String pipeline, String status, List<PipelineRecord> pipelines, List<RunStatus> statuses,
                           String nextCursor, boolean firstPage) {
    }

    /** A step's box in the run's graph; x, y are its column and row. */
    public record Node(String name, String status, int x, int y) {
    }

    public record Arrow(int x1, int y1, int x2, int y2) {
    }

    public record Graph(List<Node> nodes, List<Arrow> arrows, int width, int height) {
    }

    /** A step's bar in the run's timeline: x, width on the run's time axis, y its row. */
    public record TimelineBar(String name, String status, String duration, int x, int y, int width, int height) {
    }

    /** The run's steps on one time axis starting at {@code axisX}, {@code total} long. */
    public record Timeline(List<TimelineBar> bars, int width, int height, int axisX, String total) {
    }

    public record StepLog(String name, String text, boolean cut) {
    }

    public record RunPage(RunViews.Detail detail, Graph graph, Timeline timeline, List<StepLog> logs, List<ArtifactRecord> artifacts, boolean running) {
    }

    public record ArtifactPage(Artifacts.ArtifactDescription artifact, Map<String, Object> preview, String previewError) {
    }

    public record ModelsPage(List<RegisteredModel> models) {
    }

    public record ModelPage(RegisteredModel model, List<ModelVersion> versions, List<ModelViews.Series> metrics, String metricsJson,
                            List<StageChange> history, List<ServiceRow> services, List<String> stages) {
    }

    public record DeploymentsPage(List<ServiceRow> services) {
    }

    public record RolloutsPage(List<RolloutView> rollouts) {
    }

    public record RolloutPage(RolloutView rollout) {
    }

    public record MonitoringPage(List<MonitorStatus> models, List<AlertRecord> alerts) {
    }

    /** A model's drift: the report and its histograms, or why there is none ({@code problem}). */
    public record DriftPage(String model, String since, MonitorReport report, List<HistogramChart> charts, String problem) {
    }

    public record SchedulesPage(List<SourceViews.ScheduleView> schedules, List<SourceViews.TriggerView> triggers) {
    }
}
