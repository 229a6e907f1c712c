package dev.flywheel.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.ServiceView;
import dev.flywheel.deploy.rollout.ProgressiveDeployer;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelRef;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.registry.Stage;
import dev.flywheel.runtime.Artifacts;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.Runs;
import dev.flywheel.schedule.SourceViews;
import dev.flywheel.sdk.DurationText;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.serving.api.LatencyHistogram;
import dev.flywheel.serving.api.TrafficReport;
import dev.flywheel.store.metadata.RunQuery;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.StepRunRecord;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The REST API under {@code /api/v1}: each handler reads its parameters, calls one facade method of {@link Flywheel}
 * and renders the answer as JSON. No logic of its own: what the CLI does with a command, this does with a request.
 */
public final class ApiRoutes {
    public static final String PREFIX = "/api/v1";
    /** Downloads are for small artifacts (metrics, configs, samples); big ones are read by steps. */
    public static final long MAX_DOWNLOAD_BYTES = 1024 * 1024;
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(120);

    private final Flywheel flywheel;
    private final List<Endpoint> endpoints = new ArrayList<>();

    ApiRoutes(Flywheel flywheel, EventFeed events) {
        this.flywheel = flywheel;
        events(events);
        runs();
        pipelines();
        artifacts();
        models();
        servedModels();
        rollouts();
        monitoring();
        schedules();
    }

    List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    // ---------------------------------------------------------------- live events

    private void events(EventFeed feed) {
        get("/events", "events", "Server-Sent Events: 'change' when what a topic shows changed (the dashboard refreshes on it)", List.of(
                new Endpoint.Param("topics", Endpoint.Param.In.QUERY, "string", true,
                        "comma-separated: runs, deployments, rollouts, run:RUN_ID, rollout:ROLLOUT_ID")), "text/event-stream", ctx -> {
                    var topics = EventFeed.topics(ctx); // a bad request is a 400 before the stream opens
                    new SseHandler(client -> feed.subscribe(client, topics)).handle(ctx);
                });
    }

    // ---------------------------------------------------------------- runs

    private void runs() {
        get("/runs", "runs", "List runs, newest first, one page at a time (cursor paging)", List.of(
                Endpoint.Param.query("pipeline", "string", "only this pipeline's runs"),
                Endpoint.Param.query("status", "string", "only runs in this status: running, succeeded, failed"),
                Endpoint.Param.query("trigger", "string", "only runs launched this way (manual, schedule:ID); 'schedule:' matches all schedules"),
                Endpoint.Param.query("since", "string", "only runs started at or after this ISO-8601 instant"),
                Endpoint.Param.query("until", "string", "only runs started before this ISO-8601 instant"),
                Endpoint.Param.query("limit", "integer", "page size, 1 to 1000 (default 50)"),
                Endpoint.Param.query("cursor", "string", "the nextCursor of the previous page")), ctx -> {
            RunQuery.Page page = flywheel.runs().page(runQuery(ctx));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", page.runs());
            out.put("nextCursor", Cursor.encode(page.next()));
            ctx.json(out);
        });
        get("/runs/{id}", "runs", "A run with its steps and graph", List.of(Endpoint.Param.path("id", "run id or a unique prefix")),
                ctx -> ctx.json(RunViews.Detail.of(flywheel.runs().describe(ctx.pathParam("id")))));
        get("/runs/{id}/steps", "runs", "A run's steps (without logs)", List.of(Endpoint.Param.path("id", "run id or a unique prefix")),
                ctx -> ctx.json(RunViews.Detail.of(flywheel.runs().describe(ctx.pathParam("id"))).steps()));
        endpoint(HandlerType.GET, "/runs/{id}/steps/{step}/logs", "runs", "The captured log of one step", List.of(
                Endpoint.Param.path("id", "run id or a unique prefix"), Endpoint.Param.path("step", "the step's name")),
                Map.of(), "text/plain", ctx -> {
                    StepRunRecord step = step(flywheel.runs().describe(ctx.pathParam("id")), ctx.pathParam("step"));
                    ctx.contentType("text/plain; charset=utf-8").result(step.logs() == null ? "" : step.logs());
                });
        get("/runs/{id}/artifacts", "runs", "The artifacts a run produced", List.of(Endpoint.Param.path("id", "run id or a unique prefix")),
                ctx -> {
                    RunRecord run = flywheel.runs().describe(ctx.pathParam("id")).run();
                    ctx.json(flywheel.artifacts().list(run.id(), 10_000));
                });
    }

    /** The {@code /runs} query as a {@link RunQuery}, each bad parameter named. */
    public static RunQuery runQuery(Context ctx) {
        RunStatus status = Requests.enumQuery(ctx, "status", RunStatus.class);
        return new RunQuery(Requests.query(ctx, "pipeline"), status, Requests.query(ctx, "trigger"), Requests.instantQuery(ctx, "since"),
                Requests.instantQuery(ctx, "until"), Cursor.decode(Requests.query(ctx, "cursor")),
                Requests.intQuery(ctx, "limit", 50, 1, RunQuery.MAX_LIMIT));
    }

    static StepRunRecord step(Runs.RunDescription run, String name) {
        return run.steps().stream().map(Runs.RunDescription.Step::record).filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> FlywheelException.notFound("Run " + run.run().id() + " has no step '" + name + "'; its steps: "
                        + run.steps().stream().map(s -> s.record().name()).toList()));
    }

    // ---------------------------------------------------------------- pipelines

    private void pipelines() {
        get("/pipelines", "pipelines", "Pipelines that have run in this project", List.of(), ctx -> ctx.json(flywheel.pipelines().recorded()));
        get("/pipelines/{name}", "pipelines", "One pipeline and its last definition", List.of(Endpoint.Param.path("name", "pipeline name")),
                ctx -> {
                    String name = ctx.pathParam("name");
                    ctx.json(flywheel.pipelines().recorded().stream().filter(p -> p.name().equals(name)).findFirst()
                            .orElseThrow(() -> FlywheelException.notFound("No pipeline named '" + name + "' has run in this project; "
                                    + "pipelines that have: " + flywheel.pipelines().recorded().stream().map(p -> p.name()).toList())));
                });
    }

    // ---------------------------------------------------------------- artifacts

    private void artifacts() {
        get("/artifacts", "artifacts", "Artifacts, newest first", List.of(
                Endpoint.Param.query("run", "string", "only this run's artifacts (run id or prefix)"),
                Endpoint.Param.query("limit", "integer", "at most this many, 1 to 1000 (default 100)")), ctx -> {
            String run = Requests.query(ctx, "run");
            int limit = Requests.intQuery(ctx, "limit", 100, 1, 1000);
            ctx.json(flywheel.artifacts().list(run == null ? null : flywheel.runs().describe(run).run().id(), limit));
        });
        get("/artifacts/{id}", "artifacts", "An artifact with its lineage and whether its bytes are present",
                List.of(Endpoint.Param.path("id", "artifact id or a unique prefix")),
                ctx -> ctx.json(flywheel.artifacts().describe(ctx.pathParam("id"))));
        endpoint(HandlerType.GET, "/artifacts/{id}/content", "artifacts", "Download an artifact's bytes (at most 1 MiB), checked against its sha256",
                List.of(Endpoint.Param.path("id", "artifact id or a unique prefix")), Map.of(), "application/octet-stream", ctx -> {
                    Artifacts.StoredBytes b = flywheel.artifacts().bytes(ctx.pathParam("id"), MAX_DOWNLOAD_BYTES);
                    ctx.header("Content-Disposition", "attachment; filename=\"" + b.artifact().stepName() + "." + b.artifact().outputName()
                            + ".bin\"");
                    ctx.header("X-Content-SHA256", b.artifact().sha256());
                    ctx.contentType("application/octet-stream").result(b.content());
                });
        get("/artifacts/{id}/preview", "artifacts", "A table's columns and first rows, or a value's text",
                List.of(Endpoint.Param.path("id", "artifact id or a unique prefix"),
                        Endpoint.Param.query("rows", "integer", "how many rows of a table, 0 to 500 (default 20)")),
                ctx -> ctx.json(preview(flywheel, ctx.pathParam("id"), Requests.intQuery(ctx, "rows", 20, 0, 500))));
    }

    public static Map<String, Object> preview(Flywheel flywheel, String id, int rows) {
        Artifacts.Preview p = flywheel.artifacts().preview(id, rows, 4096);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("artifact", p.artifact());
        switch (p) {
            case Artifacts.Preview.OfTable t -> {
                out.put("kind", "table");
                out.put("columns", t.columns());
                out.put("totalRows", t.totalRows());
                out.put("rows", t.rows());
            }
            case Artifacts.Preview.OfText t -> {
                out.put("kind", "text");
                out.put("text", t.text());
                out.put("truncated", t.truncated());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- models

    private void models() {
        Endpoint.Param name = Endpoint.Param.path("name", "model name");
        Endpoint.Param version = Endpoint.Param.path("version", "a version number, an alias (@champion) or a stage (production)");
        get("/models", "models", "Registered models", List.of(), ctx -> ctx.json(flywheel.models().list()));
        get("/models/{name}", "models", "A model: versions, production version, aliases", List.of(name),
                ctx -> ctx.json(flywheel.models().describe(ctx.pathParam("name"))));
        get("/models/{name}/versions", "models", "Every version, oldest first", List.of(name),
                ctx -> ctx.json(flywheel.models().versions(ctx.pathParam("name"))));
        get("/models/{name}/versions/{version}", "models", "One version: stage, aliases, metrics, signature, lineage", List.of(name, version),
                ctx -> ctx.json(flywheel.models().get(ref(ctx))));
        get("/models/{name}/versions/{version}/lineage", "models", "From data to deployment: the data, the run, the services serving it",
                List.of(name, version), ctx -> ctx.json(lineage(flywheel, flywheel.models().get(ref(ctx)))));
        get("/models/{name}/history", "models", "Every stage change, oldest first", List.of(name),
                ctx -> ctx.json(flywheel.models().history(ctx.pathParam("name"))));
        get("/models/{name}/metrics", "models", "Each metric across versions, one point per version", List.of(name),
                ctx -> ctx.json(ModelViews.metrics(flywheel.models().versions(ctx.pathParam("name")))));
        get("/models/{name}/compare", "models", "Two versions' metrics side by side", List.of(name,
                new Endpoint.Param("a", Endpoint.Param.In.QUERY, "string", true, "the first version (number, @alias or stage)"),
                new Endpoint.Param("b", Endpoint.Param.In.QUERY, "string", true, "the second version (number, @alias or stage)")), ctx -> {
            String model = ctx.pathParam("name");
            ModelRef a = Requests.field("a", () -> ModelRef.parse(model, required(ctx, "a")));
            ModelRef b = Requests.field("b", () -> ModelRef.parse(model, required(ctx, "b")));
            ctx.json(flywheel.models().compare(a, b));
        });
        Map<String, String> rollOut = Map.of("rollOut", "switch the services that follow the stage or alias (default true)");
        endpoint(HandlerType.POST, "/models/{name}/versions/{version}/promote", "models",
                "Move a version to a stage (production archives the previous one) and roll it out",
                List.of(name, Endpoint.Param.path("version", "version number")),
                Map.of("stage", "none, staging, production or archived", "rollOut", rollOut.get("rollOut")), "application/json", ctx -> {
                    JsonNode body = Requests.body(ctx, Set.of("stage", "rollOut"));
                    Stage stage = Requests.field("stage", () -> Stage.parse(Requests.text(body, "stage", true)));
                    Deployments.Change change = flywheel.deployments().promote(ctx.pathParam("name"), Requests.intPath(ctx, "version"), stage,
                            Guard.actor(ctx), Requests.bool(body, "rollOut", true), SERVICE_TIMEOUT);
                    ctx.json(change(change));
                });
        endpoint(HandlerType.POST, "/models/{name}/versions/{version}/alias", "models", "Point an alias at a version and roll it out",
                List.of(name, Endpoint.Param.path("version", "version number")),
                Map.of("alias", "the alias, with or without @", "rollOut", rollOut.get("rollOut")), "application/json", ctx -> {
                    JsonNode body = Requests.body(ctx, Set.of("alias", "rollOut"));
                    String alias = ModelRef.aliasName(Requests.text(body, "alias", true));
                    int v = Requests.intPath(ctx, "version");
                    Optional<dev.flywheel.deploy.Rollout> rollout = flywheel.deployments().alias(ctx.pathParam("name"), v, alias,
                            Requests.bool(body, "rollOut", true), SERVICE_TIMEOUT);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("version", flywheel.models().get(ctx.pathParam("name"), v));
                    out.put("rollout", rollout.orElse(null));
                    ctx.json(out);
                });
        endpoint(HandlerType.DELETE, "/models/{name}/aliases/{alias}", "models", "Remove an alias",
                List.of(name, Endpoint.Param.path("alias", "the alias")), Map.of(), "application/json", ctx -> {
                    flywheel.models().deleteAlias(ctx.pathParam("name"), ModelRef.aliasName(ctx.pathParam("alias")));
                    ctx.json(flywheel.models().describe(ctx.pathParam("name")));
                });
        endpoint(HandlerType.POST, "/models/{name}/rollback", "models", "Return production to the previous production version",
                List.of(name), rollOut, "application/json", ctx -> {
                    JsonNode body = Requests.body(ctx, Set.of("rollOut"));
                    ctx.json(change(flywheel.deployments().rollback(ctx.pathParam("name"), Guard.actor(ctx), Requests.bool(body, "rollOut", true),
                            SERVICE_TIMEOUT)));
                });
    }

    private static String required(Context ctx, String name) {
        String v = Requests.query(ctx, name);
        if (v == null) {
            throw new InvalidField(name, "query parameter '" + name + "' is required: a version number, @alias or stage");
        }
        return v;
    }

    private static ModelRef ref(Context ctx) {
        String model = ctx.pathParam("name");
        return Requests.field("version", () -> ModelRef.parse(model, ctx.pathParam("version")));
    }

    private static Map<String, Object> change(Deployments.Change change) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", change.transition().version());
        out.put("changes", change.transition().changes());
        out.put("rollout", change.rollout().orElse(null));
        return out;
    }

    /** A version's path from data to deployment; no deployer is built when no service exists (a read stays cheap). */
    public static Map<String, Object> lineage(Flywheel flywheel, ModelVersion v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v);
        out.put("lineage", v.lineage());
        if (v.lineage() instanceof Lineage.FromRun run) {
            out.put("run", flywheel.runs().describe(run.runId()).run());
        }
        out.put("services", flywheel.deployments().views(null, null, v.model(), false).stream()
                .filter(s -> s.record().modelVersion() == v.version()).map(ServiceView::toJson).toList());
        return out;
    }

    // ---------------------------------------------------------------- served models

    private void servedModels() {
        Endpoint.Param id = Endpoint.Param.path("id", "service id, a unique prefix of it, or its name");
        get("/served-models", "served-models", "Deployed model servers, their status observed now", List.of(
                Endpoint.Param.query("model", "string", "only this model's services"),
                Endpoint.Param.query("running", "boolean", "only running ones")), ctx -> ctx.json(flywheel.deployments()
                .views(null, null, Requests.query(ctx, "model"), Requests.boolQuery(ctx, "running")).stream().map(ServiceView::toJson).toList()));
        get("/served-models/{id}", "served-models", "One service, its status observed now", List.of(id), ctx -> ctx.json(view(ctx)));
        get("/served-models/{id}/traffic", "served-models", "The service's traffic counters now, per version: requests, errors, a latency "
                + "histogram over latencyBoundsNanos; the difference of two readings is the traffic between them", List.of(id),
                ctx -> ctx.json(traffic(flywheel.deployments().get(ctx.pathParam("id")))));
        endpoint(HandlerType.POST, "/served-models/{id}/start", "served-models", "Start a stopped or failed service and wait until healthy",
                List.of(id), Map.of(), "application/json", ctx -> {
                    Service s = flywheel.deployments().get(ctx.pathParam("id"));
                    s.start(SERVICE_TIMEOUT);
                    ctx.json(flywheel.deployments().view(s).toJson());
                });
        endpoint(HandlerType.POST, "/served-models/{id}/stop", "served-models", "Stop a service (in-flight requests finish first)",
                List.of(id, Endpoint.Param.query("force", "boolean", "kill at once")), Map.of(), "application/json", ctx -> {
                    Service s = flywheel.deployments().get(ctx.pathParam("id"));
                    s.stop(SERVICE_TIMEOUT, Requests.boolQuery(ctx, "force"));
                    ctx.json(flywheel.deployments().view(s).toJson());
                });
        endpoint(HandlerType.DELETE, "/served-models/{id}", "served-models", "Stop a service and remove it with its folder and logs",
                List.of(id, Endpoint.Param.query("force", "boolean", "kill at once")), Map.of(), "application/json", ctx -> {
                    Service s = flywheel.deployments().get(ctx.pathParam("id"));
                    flywheel.deployments().delete(s.record().uuid(), SERVICE_TIMEOUT, Requests.boolQuery(ctx, "force"));
                    ctx.json(Map.of("deleted", s.record().uuid().toString()));
                });
    }

    /** What the service's own server counts (the rollout controller reads the same), stamped with when it was read. */
    private Map<String, Object> traffic(Service service) {
        if (!(flywheel.deployments().deployer() instanceof ProgressiveDeployer progressive)) {
            throw FlywheelException.invalid("The '" + flywheel.deployments().deployer().flavor() + "' model deployer does not report traffic;"
                    + " the local deployer does");
        }
        TrafficReport report = progressive.target(service.record().uuid()).report();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("service", service.record().uuid());
        out.put("at", flywheel.config().clock.instant());
        out.put("report", report);
        out.put("latencyBoundsNanos", LatencyHistogram.BOUNDS_NANOS);
        return out;
    }

    private JsonNode view(Context ctx) {
        return flywheel.deployments().view(flywheel.deployments().get(ctx.pathParam("id"))).toJson();
    }

    // ---------------------------------------------------------------- rollouts

    private void rollouts() {
        Endpoint.Param id = Endpoint.Param.path("id", "rollout id or a unique prefix of it");
        get("/rollouts", "rollouts", "Every canary and shadow rollout, newest first", List.of(),
                ctx -> ctx.json(flywheel.rollouts().list().stream().map(RolloutView::of).toList()));
        get("/rollouts/{id}", "rollouts", "A rollout's plan, where it is, and every decision with its numbers", List.of(id),
                ctx -> ctx.json(RolloutView.of(flywheel.rollouts().status(ctx.pathParam("id")))));
        rolloutCommand(id, "promote", "Make the challenger the only version now; the registry's production stage moves to it",
                rollout -> flywheel.rollouts().promote(rollout));
        rolloutCommand(id, "abort", "Send all traffic back to the champion now; the challenger's version is marked",
                rollout -> flywheel.rollouts().abort(rollout));
        rolloutCommand(id, "pause", "Hold the current weight; no analysis until resumed", rollout -> flywheel.rollouts().pause(rollout));
        rolloutCommand(id, "resume", "Analyse again from a fresh interval at the current step", rollout -> flywheel.rollouts().resume(rollout));
    }

    private void rolloutCommand(Endpoint.Param id, String action, String summary,
                                Function<String, RolloutRecord> command) {
        endpoint(HandlerType.POST, "/rollouts/{id}/" + action, "rollouts", summary, List.of(id), Map.of(), "application/json",
                ctx -> ctx.json(RolloutView.of(command.apply(ctx.pathParam("id")))));
    }

    // ---------------------------------------------------------------- monitoring and alerts

    private void monitoring() {
        get("/monitoring", "monitoring", "Each model's monitoring over the last 24 hours: rows logged, drifted features", List.of(
                Endpoint.Param.query("model", "string", "only this model")),
                ctx -> ctx.json(flywheel.monitoring().status(Requests.query(ctx, "model"))));
        get("/monitoring/{model}/drift", "monitoring", "Drift of the newest logged version against its reference profile, per feature, "
                + "with reference and current histograms", List.of(Endpoint.Param.path("model", "model name"),
                Endpoint.Param.query("since", "string", "the window, ending now: 30m, 6h, 24h (default), 7d")),
                ctx -> ctx.json(flywheel.monitoring().report(ctx.pathParam("model"), since(ctx))));
        get("/alerts", "monitoring", "Alerts posted through the stack's alerter, newest first, and whether each was delivered", List.of(
                Endpoint.Param.query("limit", "integer", "at most this many, 1 to 1000 (default 100)")),
                ctx -> ctx.json(flywheel.alerts().list(Requests.intQuery(ctx, "limit", 100, 1, 1000))));
    }

    /** The {@code since} query parameter: a positive duration, 24 hours when absent. */
    static Duration since(Context ctx) {
        String v = Requests.query(ctx, "since");
        if (v == null) {
            return Duration.ofHours(24);
        }
        Duration d;
        try {
            d = DurationText.parse(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("since", "query parameter 'since' must be a duration such as 30m, 6h, 24h or 7d, got '" + v + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new InvalidField("since", "query parameter 'since' must be a positive duration such as 30m, 6h, 24h or 7d, got '" + v + "'");
        }
        return d;
    }

    // ---------------------------------------------------------------- schedules and triggers

    private void schedules() {
        Endpoint.Param id = Endpoint.Param.path("id", "schedule id or a unique prefix");
        get("/schedules", "schedules", "Schedules with their next fire", List.of(),
                ctx -> ctx.json(flywheel.schedules().list().stream().map(SourceViews.ScheduleView::of).toList()));
        get("/schedules/{id}", "schedules", "A schedule with its last fires", List.of(id, Endpoint.Param.query("fires", "integer",
                "how many of the last fires, 1 to 500 (default 20)")), ctx -> ctx.json(SourceViews.ScheduleView.of(
                flywheel.schedules().describe(ctx.pathParam("id"), Requests.intQuery(ctx, "fires", 20, 1, 500)))));
        endpoint(HandlerType.POST, "/schedules/{id}/pause", "schedules", "Pause a schedule", List.of(id), Map.of(), "application/json",
                ctx -> ctx.json(SourceViews.ScheduleView.of(flywheel.schedules().describe(flywheel.schedules().pause(ctx.pathParam("id")).id(), 0))));
        endpoint(HandlerType.POST, "/schedules/{id}/resume", "schedules", "Resume a schedule", List.of(id), Map.of(), "application/json",
                ctx -> ctx.json(SourceViews.ScheduleView.of(flywheel.schedules().describe(flywheel.schedules().resume(ctx.pathParam("id")).id(), 0))));
        Endpoint.Param tid = Endpoint.Param.path("id", "trigger id or a unique prefix");
        get("/triggers", "triggers", "Triggers with their last fire", List.of(), ctx -> ctx.json(flywheel.schedules().triggers().stream()
                .map(t -> SourceViews.TriggerView.of(t, flywheel.schedules().fires(t.id(), 1))).toList()));
        get("/triggers/{id}", "triggers", "A trigger with its last fires", List.of(tid), ctx -> {
            var t = flywheel.schedules().trigger(ctx.pathParam("id"));
            ctx.json(SourceViews.TriggerView.of(t, flywheel.schedules().fires(t.id(), 20)));
        });
        endpoint(HandlerType.POST, "/triggers/{id}/pause", "triggers", "Pause a trigger", List.of(tid), Map.of(), "application/json", ctx -> {
            var t = flywheel.schedules().pauseTrigger(ctx.pathParam("id"));
            ctx.json(SourceViews.TriggerView.of(t, List.of()));
        });
        endpoint(HandlerType.POST, "/triggers/{id}/resume", "triggers", "Resume a trigger", List.of(tid), Map.of(), "application/json", ctx -> {
            var t = flywheel.schedules().resumeTrigger(ctx.pathParam("id"));
            ctx.json(SourceViews.TriggerView.of(t, List.of()));
        });
    }

    // ---------------------------------------------------------------- registration

    private void get(String path, String tag, String summary, List<Endpoint.Param> params, Handler handler) {
        get(path, tag, summary, params, "application/json", handler);
    }

    private void get(String path, String tag, String summary, List<Endpoint.Param> params, String produces, Handler handler) {
        endpoint(HandlerType.GET, path, tag, summary, params, Map.of(), produces, handler);
    }

    private void endpoint(HandlerType method, String path, String tag, String summary, List<Endpoint.Param> params, Map<String, String> body,
                          String produces, Handler handler) {
        endpoints.add(new Endpoint(method, PREFIX + path, tag, summary, params, body, produces, handler));
    }
}
