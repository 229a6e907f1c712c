package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.cd.ConditionResult;
import dev.flywheel.cd.GateDecision;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A classifier's pipeline, gated on ROC AUC against the served version: an XGBoost binary classifier of "busy hours"
 * (more than 250 rentals) on the bike-sharing data. A first model deploys; a worse one is refused with the numbers; a
 * better one is hot-swapped in; each decision records every condition with both sides' values.
 */
@ExtendWith(NoDaemonLeft.class)
class ClassifierGateEndToEndTest {
    @TempDir
    Path dir;

    CliResult ok(String... args) {
        CliResult r = CliResult.inProject(dir.resolve(".flywheel"), args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    @BeforeEach
    void needsDataAndAProject() {
        LiveProject.assumeBikeData();
        ok("init");
    }

    @AfterEach
    void deleteServices() {
        LiveProject.deleteServices(dir.resolve(".flywheel"));
    }

    @Test
    void aBetterClassifierDeploysAndAWorseOneIsRefusedWithTheNumbers() throws Exception {
        GateDecision first = run("train_busy.rounds=15", "train_busy.depth=4");
        assertThat(first.accepted()).as(first.reason()).isTrue();
        assertThat(first.baselineSource()).isEqualTo("none");
        assertThat(first.predictionUrl()).endsWith("/v2/models/busy_hour/infer");

        GateDecision worse = run("train_busy.rounds=2", "train_busy.depth=1");
        assertThat(worse.accepted()).isFalse();
        assertThat(worse.baselineSource()).isEqualTo("served");
        assertThat(worse.baselineVersion()).isEqualTo(1);
        ConditionResult auc = worse.conditions().getFirst();
        assertThat(auc.name()).isEqualTo("roc_auc");
        assertThat(auc.challenger()).isLessThan(auc.baseline());
        assertThat(worse.reason()).contains("roc_auc " + String.format(java.util.Locale.ROOT, "%.4f", auc.challenger())
                + " is worse than served v1 (" + String.format(java.util.Locale.ROOT, "%.4f", auc.baseline()) + ")");
        assertThat(worse.serviceId()).isNull();

        GateDecision better = run("train_busy.rounds=60", "train_busy.depth=6");
        assertThat(better.accepted()).as(better.reason()).isTrue();
        assertThat(better.baselineVersion()).as("compared with what serves (v1), not the refused v2").isEqualTo(1);
        assertThat(better.conditions()).extracting(ConditionResult::name).containsExactly("roc_auc", "log_loss", "latency_p95_ms");
        assertThat(better.conditions()).allSatisfy(c -> assertThat(c.challenger()).isNotNull());
        assertThat(better.conditions().getFirst().challenger()).isGreaterThan(better.conditions().getFirst().baseline());
        assertThat(better.serviceId()).isEqualTo(first.serviceId());

        JsonNode list = new ObjectMapper().readTree(ok("served-models", "list", "--json").out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("config").get("modelVersion").asInt()).isEqualTo(3);
        assertThat(list.get(0).get("inSync").asBoolean()).isTrue();
        String described = ok("runs", "describe", lastRun(), "--logs").out();
        assertThat(described).contains("ACCEPTED busy_hour v3").contains("PASS roc_auc [computed on").contains("beats served v1");
    }

    private GateDecision run(String... params) throws Exception {
        String[] args = new String[2 + params.length * 2];
        args[0] = "run";
        args[1] = "busy_hour";
        for (int i = 0; i < params.length; i++) {
            args[2 + 2 * i] = "--param";
            args[3 + 2 * i] = params[i];
        }
        ok(args);
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            String artifact = flywheel.runs().describe(lastRun()).steps().stream().filter(s -> s.record().name().equals("deploy_if_better"))
                    .flatMap(s -> s.links().stream()).filter(l -> l.direction() == ArtifactLink.Direction.OUTPUT).findFirst().orElseThrow()
                    .artifactId();
            return flywheel.artifacts().load(artifact, GateDecision.class);
        }
    }

    private String lastRun() throws Exception {
        return new ObjectMapper().readTree(ok("runs", "list", "--json").out()).get(0).get("id").asText();
    }
}
