package dev.flywheel.server.internal;

import dev.flywheel.deploy.ServiceView;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.RegisteredModel;
import dev.flywheel.registry.Stage;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.MonitorReport;
import dev.flywheel.runtime.Runs;
import dev.flywheel.schedule.SourceViews;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.store.metadata.RunQuery;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.RunRecords;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's pages, rendered on the server by templates compiled in the build (jte). Each page asks the same
 * facades as the API and hands plain values to its template. Changes (promote, pause, ...) are made by the page's
 * script through the API with the bearer token the user typed (kept in the tab's session storage, never a cookie).
 */
final class UiRoutes {
    private static final int LOG_CHARS = 64 * 1024;
    private final Flywheel flywheel;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    UiRoutes(Flywheel flywheel) {
        this.flywheel = flywheel;
    }

    void register(RoutesConfig r) {
        r.get("/", ctx -> render(ctx, "overview.jte", overview()));
        r.get("/runs", ctx -> render(ctx, "runs.jte", runs(ctx)));
        r.get("/runs/{id}", ctx -> render(ctx, "run.jte", run(ctx.pathParam("id"))));
        r.get("/artifacts/{id}", ctx -> render(ctx, "artifact.jte", artifact(ctx.pathParam("id"))));
        r.get("/models", ctx -> render(ctx, "models.jte", new Pages.ModelsPage(flywheel.models().list())));
        r.get("/models/{name}", ctx -> render(ctx, "model.jte", model(ctx.pathParam("name"))));
        r.get("/deployments", ctx -> render(ctx, "deployments.jte", new Pages.DeploymentsPage(services(null))));
        r.get("/rollouts", ctx -> render(ctx, "rollouts.jte",
                new Pages.RolloutsPage(flywheel.rollouts().list().stream().map(RolloutView::of).toList())));
        r.get("/rollouts/{id}", ctx -> render(ctx, "rollout.jte",
                new Pages.RolloutPage(RolloutView.of(flywheel.rollouts().status(ctx.pathParam("id"))))));
        r.get("/monitoring", ctx -> render(ctx, "monitoring.jte",
                new Pages.MonitoringPage(flywheel.monitoring().status(null), flywheel.alerts().list(100))));
        r.get("/monitoring/{model}", ctx -> render(ctx, "drift.jte", drift(ctx)));
        r.get("/schedules", ctx -> render(ctx, "schedules.jte", schedules()));
    }

    private void render(Context ctx, String template, Object page) {
        StringOutput out = new StringOutput();
        templates.render(template, page, out);
        ctx.html(out.toString());
    }

    private Pages.Overview overview() {
        RunQuery.Page latest = flywheel.runs().page(RunQuery.newest(10));
        return new Pages.Overview(rows(latest.runs()), flywheel.runs().count(null), flywheel.models().list(), services(null),
                flywheel.schedules().list().stream().map(SourceViews.ScheduleView::of).toList(), flywheel.schedules().triggers().size(),
                flywheel.alerts().list(5));
    }

    private Pages.RunsPage runs(Context ctx) {
        RunQuery q = ApiRoutes.runQuery(ctx);
        RunQuery.Page page = flywheel.runs().page(q);
        return new Pages.RunsPage(rows(page.runs()), q.pipeline(), q.status() == null ? null : q.status().name(),
                flywheel.pipelines().recorded(), Arrays.asList(RunStatus.values()), Cursor.encode(page.next()), q.after() == null);
    }

    private List<Pages.RunRow> rows(List<RunRecord> runs) {
        Map<String, RunRecords.StepCounts> counts = flywheel.runs().stepCounts(runs.stream().map(RunRecord::id).toList());
        return runs.stream().map(r -> {
            RunRecords.StepCounts c = counts.getOrDefault(r.id(), new RunRecords.StepCounts(0, 0));
            return new Pages.RunRow(r, RunViews.millis(r.startedAt(), r.finishedAt()), c.steps(), c.cached());
        }).toList();
    }

    private Pages.RunPage run(String id) {
        Runs.RunDescription d = flywheel.runs().describe(id);
        RunViews.Detail detail = RunViews.Detail.of(d);
        List<Pages.StepLog> logs = d.steps().stream().filter(s -> s.record().logs() != null && !s.record().logs().isEmpty()).map(s -> {
            String text = s.record().logs();
            boolean cut = text.length() > LOG_CHARS;
            return new Pages.StepLog(s.record().name(), cut ? text.substring(text.length() - LOG_CHARS) : text, cut);
        }).toList();
        boolean many = detail.steps().size() > RunTimelineLayout.GRAPH_LIMIT;
        return new Pages.RunPage(detail, many ? null : RunGraphLayout.of(detail), many ? RunTimelineLayout.of(detail) : null, logs,
                flywheel.artifacts().list(d.run().id(), 1000), d.run().status() == RunStatus.RUNNING);
    }

    private Pages.ArtifactPage artifact(String id) {
        var description = flywheel.artifacts().describe(id);
        try {
            return new Pages.ArtifactPage(description, ApiRoutes.preview(flywheel, description.artifact().id(), 50), null);
        } catch (FlywheelException e) {
            return new Pages.ArtifactPage(description, null, e.getMessage()); // the page still shows what is known of it
        }
    }

    private Pages.ModelPage model(String name) {
        RegisteredModel model = flywheel.models().describe(name);
        List<ModelVersion> versions = flywheel.models().versions(name);
        List<ModelViews.Series> metrics = ModelViews.metrics(versions);
        return new Pages.ModelPage(model, versions.reversed(), metrics, ApiJson.forHtml(metrics), flywheel.models().history(name).reversed(),
                services(name), Arrays.stream(Stage.values()).map(Stage::label).toList());
    }

    private Pages.DriftPage drift(Context ctx) {
        String model = flywheel.models().describe(ctx.pathParam("model")).name(); // an unknown model is a 404, not an empty page
        Duration since = ApiRoutes.since(ctx);
        String window = ctx.queryParam("since") == null ? "24h" : ctx.queryParam("since").strip();
        try {
            MonitorReport report = flywheel.monitoring().report(model, since);
            return new Pages.DriftPage(model, window, report, report.histograms().stream().map(HistogramChart::of).toList(), null);
        } catch (FlywheelException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return new Pages.DriftPage(model, window, null, List.of(), e.getMessage()); // nothing logged yet, or no reference profile
        }
    }

    private List<Pages.ServiceRow> services(String model) {
        return flywheel.deployments().views(null, null, model, false).stream().map(this::row).toList();
    }

    private Pages.ServiceRow row(ServiceView v) {
        var r = v.record();
        RolloutView rollout = flywheel.rollouts().latest(r.uuid()).filter(x -> x.state().active()).map(RolloutView::of).orElse(null);
        return new Pages.ServiceRow(r.uuid().toString(), r.name(), r.status().text(), r.modelName(), r.modelVersion(), v.follows(), v.inSync(),
                v.mismatch(), r.predictionUrl(), r.restartCount(), r.lastError(), r.pipelineName(), rollout);
    }

    private Pages.SchedulesPage schedules() {
        return new Pages.SchedulesPage(flywheel.schedules().list().stream().map(SourceViews.ScheduleView::of).toList(),
                flywheel.schedules().triggers().stream().map(t -> SourceViews.TriggerView.of(t, flywheel.schedules().fires(t.id(), 1))).toList());
    }
}
