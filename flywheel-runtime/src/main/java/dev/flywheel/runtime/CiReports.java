package dev.flywheel.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.cd.GateDecision;
import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.monitor.DriftConfig;
import dev.flywheel.monitor.DriftEngine;
import dev.flywheel.registry.DataArtifact;
import dev.flywheel.registry.Lineage;
import dev.flywheel.registry.ModelRegistry;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.sdk.data.Table;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.StepRunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link CiReport} from what a run recorded: its row and steps, the gate step's decision (its output), the
 * evaluation data the gate read (its input), the registry's versions, and the baseline stack's production version
 * with its training data (read from that stack's stores, never written).
 */
final class CiReports {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GATE_TYPE = GateDecision.class.getName();
    private static final String TABLE_TYPE = Table.class.getName();

    private final Flywheel run;
    private final Flywheel baseline;

    /**
     * @param run      the handle on the stack the run ran on
     * @param baseline the handle on the stack whose production version it was judged against (may be {@code run})
     */
    CiReports(Flywheel run, Flywheel baseline) {
        this.run = run;
        this.baseline = baseline;
    }

    CiReport build(String runId) {
        Runs.RunDescription d = run.runs().describe(runId);
        List<CiReport.Check> validation = new ArrayList<>();
        Runs.RunDescription.Step gateStep = null;
        for (Runs.RunDescription.Step s : d.steps()) {
            StepRunRecord r = s.record();
            if (isValidation(r)) {
                validation.add(new CiReport.Check(r.name(), r.status().name(), r.status() == StepStatus.SKIPPED ? null : r.error(),
                        metadata(r.metadataJson())));
            }
            if (s.links().stream().anyMatch(l -> l.direction() == ArtifactLink.Direction.OUTPUT && GATE_TYPE.equals(type(l.artifactId())))) {
                gateStep = s;
            }
        }
        GateDecision decision = gateStep == null ? null : decision(gateStep);
        CiReport.Gate gate = decision == null ? null : gate(decision);
        CiReport.Drift drift = gateStep == null ? CiReport.Drift.absent("the pipeline has no deployment gate, so no evaluation data")
                : drift(gateStep, decision);
        CiReport.Outcome outcome = d.run().status() != RunStatus.SUCCEEDED ? CiReport.Outcome.FAILED
                : decision == null ? CiReport.Outcome.NO_GATE
                : decision.accepted() ? CiReport.Outcome.PASSED : CiReport.Outcome.REJECTED;
        String baselineStack = baseline == run ? null : baseline.stack().name();
        return new CiReport(outcome, d.run().id(), d.run().pipeline(), run.stack().name(), baselineStack, d.run().status(), d.run().error(),
                d.run().source(), validation, drift, gate, plan(decision), dashboard(d.run().id()));
    }

    private static boolean isValidation(StepRunRecord r) {
        String n = (r.name() + " " + r.stepClass()).toLowerCase(Locale.ROOT);
        return n.contains("validat");
    }

    private static Map<String, Object> metadata(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        } catch (IOException e) {
            return Map.of("metadata", json);
        }
    }

    private String type(String artifactId) {
        return run.artifacts().get(artifactId).type();
    }

    private GateDecision decision(Runs.RunDescription.Step gateStep) {
        String id = gateStep.links().stream().filter(l -> l.direction() == ArtifactLink.Direction.OUTPUT && GATE_TYPE.equals(type(l.artifactId())))
                .findFirst().orElseThrow().artifactId();
        return run.artifacts().load(id, GateDecision.class);
    }

    private CiReport.Gate gate(GateDecision g) {
        ModelRegistry staging = run.models();
        Map<String, Double> candidate = staging.get(g.model(), g.candidateVersion()).metrics();
        Map<String, Double> base = Map.of();
        if (g.baselineVersion() > 0) {
            base = baselineVersion(g.model()).filter(v -> v.version() == g.baselineVersion()).map(ModelVersion::metrics)
                    .orElseGet(() -> staging.get(g.model(), g.baselineVersion()).metrics());
        }
        return new CiReport.Gate(g.model(), g.accepted(), g.reason(), g.candidateVersion(), g.baselineVersion(), g.baselineSource(),
                g.conditions(), candidate, base, g.serviceId());
    }

    private Optional<ModelVersion> baselineVersion(String model) {
        try {
            return baseline.models().production(model);
        } catch (FlywheelException e) {
            if (e.code() == dev.flywheel.sdk.ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The evaluation data the gate read against the training data of the production version, on the model's features. */
    private CiReport.Drift drift(Runs.RunDescription.Step gateStep, GateDecision decision) {
        if (decision == null) {
            return CiReport.Drift.absent("the gate recorded no decision");
        }
        Optional<ArtifactLink> evaluation = gateStep.links().stream()
                .filter(l -> l.direction() == ArtifactLink.Direction.INPUT && l.name().equals("evaluation")).findFirst();
        if (evaluation.isEmpty()) {
            return CiReport.Drift.absent("the gate step read no input named 'evaluation'");
        }
        Optional<ModelVersion> production = baselineVersion(decision.model());
        if (production.isEmpty()) {
            return CiReport.Drift.absent("model '" + decision.model() + "' has no production version on stack '"
                    + baseline.stack().name() + "' yet, so there is no reference data");
        }
        ModelVersion p = production.get();
        if (!(p.lineage() instanceof Lineage.FromRun fromRun)) {
            return CiReport.Drift.absent("production v" + p.version() + " was imported, not trained by a run: no training data is recorded");
        }
        List<String> features = p.signature() == null ? List.of() : p.signature().inputs().stream().map(Feature::name).toList();
        Table current = run.artifacts().load(evaluation.get().artifactId(), Table.class);
        for (DataArtifact data : fromRun.data().stream().filter(a -> TABLE_TYPE.equals(a.type()))
                .sorted(Comparator.comparingInt(DataArtifact::depth)).toList()) {
            Table reference;
            try {
                reference = baseline.artifacts().loadRecordedTable(data.artifactId(), data.uri(), data.size(), data.sha256());
            } catch (FlywheelException e) {
                continue; // its bytes are gone from production's store; try the next table
            }
            List<String> columns = features.stream().filter(reference.columnNames()::contains).filter(current.columnNames()::contains).toList();
            if (columns.isEmpty()) {
                continue;
            }
            var report = DriftEngine.create(DriftConfig.defaults().withColumns(columns)).compare(reference, current);
            return new CiReport.Drift(data.name() + " of production v" + p.version() + " (" + reference.rowCount() + " rows)", report, null);
        }
        return CiReport.Drift.absent("production v" + p.version() + "'s recorded data has no table with the model's features");
    }

    private CiReport.Plan plan(GateDecision decision) {
        Stack target = baseline.stack();
        StackComponent deployer = target.component(ComponentKind.MODEL_DEPLOYER);
        Map<String, String> settings = baseline.stacks().displaySettings(deployer);
        String deployerName = deployer.name() + " (" + deployer.flavor() + ")";
        if (decision == null || !decision.accepted()) {
            return new CiReport.Plan(false, decision == null ? null : decision.model(), decision == null ? 0 : decision.candidateVersion(),
                    target.name(), deployerName, settings, decision == null ? "nothing: the pipeline has no deployment gate"
                    : "nothing: the gate rejected version " + decision.candidateVersion(), null);
        }
        String canary = settings.getOrDefault("canaryTrafficPercent", "0");
        String how = !canary.equals("0") && !canary.isBlank()
                ? "canary: " + canary + "% of requests go to version " + decision.candidateVersion() + " first, then all of them"
                : "full swap: version " + decision.candidateVersion() + " is loaded beside the serving one, then takes all traffic at once";
        String command = "flywheel models promote " + decision.model() + " " + decision.candidateVersion() + " --from-stack " + run.stack().name()
                + " --to-stack " + target.name() + " --deploy";
        return new CiReport.Plan(true, decision.model(), decision.candidateVersion(), target.name(), deployerName, settings, how, command);
    }

    /** The run's page, when {@code flywheel server up} left its state file ({@code .flywheel/server/server.json}). */
    private String dashboard(String runId) {
        Path state = run.home().dir().resolve("server").resolve("server.json");
        if (!Files.isRegularFile(state)) {
            return null;
        }
        try {
            JsonNode url = JSON.readTree(state.toFile()).get("url");
            if (url == null || url.asText().isBlank()) {
                return null;
            }
            String base = url.asText().endsWith("/") ? url.asText() : url.asText() + "/";
            return base + "runs/" + runId;
        } catch (IOException e) {
            return null;
        }
    }
}
