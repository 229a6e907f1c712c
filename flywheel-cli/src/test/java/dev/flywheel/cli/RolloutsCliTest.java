package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.flywheel.cli.DeployEndToEndTest.infer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollouts through the CLI with a real pipeline and real server processes: {@code models deploy --canary} serves the
 * challenger beside the champion, {@code served-models describe} shows the split, {@code rollouts
 * list|status|pause|resume|promote|abort} act on it (JSON everywhere), and bad options are refused with what to write.
 */
@ExtendWith(NoDaemonLeft.class)
class RolloutsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    CliResult ok(String... args) {
        CliResult r = flywheel(args);
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
    void aCanaryStartedFromTheCliIsShownPausedResumedAndPromotedAndEveryCommandSpeaksJson() throws Exception {
        ok("run", "bike_ct", "--param", "train.rounds=40");   // v1: production, served
        ok("run", "bike_ct", "--param", "train.rounds=2");    // v2: registered, the gate keeps v1
        JsonNode service = JSON.readTree(ok("served-models", "list", "--json").out()).get(0);
        String uuid = service.get("uuid").asText();
        String url = service.get("predictionUrl").asText();
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("1");

        JsonNode started = JSON.readTree(ok("models", "deploy", "bike", "2", "--canary", "10,50,100", "--step-duration", "30s",
                "--max-error-rate", "2%", "--max-p99", "50ms", "--max-prediction-drift", "3", "--json").out());
        String id = started.get("id").asText();
        assertThat(started.get("state").asText()).isEqualTo("progressing");
        assertThat(started.get("weight").asInt()).isEqualTo(10);
        assertThat(started.get("strategy").asText()).isEqualTo("canary");
        assertThat(started.get("championVersion").asInt()).isEqualTo(1);
        assertThat(started.get("analysis").get("maxErrorRate").asDouble()).isEqualTo(0.02);
        assertThat(started.get("analysis").get("maxP99Ms").asDouble()).isEqualTo(50.0);
        assertThat(started.get("steps")).hasSize(3);

        assertThat(ok("served-models", "describe", uuid).out()).contains("Split:          canary 10% of version 2 beside version 1 (progressing");
        assertThat(JSON.readTree(ok("served-models", "describe", uuid, "--json").out()).get("rollout").get("id").asText()).isEqualTo(id);
        JsonNode listed = JSON.readTree(ok("rollouts", "list", "--json").out());
        assertThat(listed).hasSize(1);
        assertThat(ok("rollouts", "list").out()).contains(id.substring(0, 8)).contains("canary").contains("10%");

        String prefix = id.substring(0, 8);
        assertThat(JSON.readTree(ok("rollouts", "pause", prefix, "--json").out()).get("state").asText()).isEqualTo("paused");
        assertThat(JSON.readTree(ok("rollouts", "resume", prefix, "--json").out()).get("state").asText()).isEqualTo("progressing");
        CliResult second = flywheel("models", "deploy", "bike", "2", "--shadow");
        assertThat(second.exit()).as(second.err()).isEqualTo(4);
        assertThat(second.err()).contains("in progress").contains("rollouts abort " + prefix);

        JsonNode promoted = JSON.readTree(ok("rollouts", "promote", prefix, "--json").out());
        assertThat(promoted.get("state").asText()).isEqualTo("promoted");
        assertThat(promoted.get("decisions").findValuesAsText("action")).containsSubsequence("start canary 10%", "pause (by a user)",
                "resume (by a user)", "promote (by a user)");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("2");
        JsonNode versions = JSON.readTree(ok("models", "versions", "bike", "--json").out());
        for (JsonNode v : versions) {
            assertThat(v.get("stage").asText()).as("version %s", v.get("version")).isEqualTo(v.get("version").asInt() == 2 ? "PRODUCTION" : "ARCHIVED");
        }
        assertThat(ok("served-models", "describe", uuid).out()).contains("Split:          none: version 2 answers every request (last rollout "
                + prefix + " promoted)");
        String status = ok("rollouts", "status", prefix).out();
        assertThat(status).contains("Split:      canary 100% of version 2").contains("promote (by a user)");

        CliResult abortEnded = flywheel("rollouts", "abort", prefix);
        assertThat(abortEnded.exit()).isEqualTo(4);
        assertThat(abortEnded.err()).contains("is promoted; it cannot abort");
    }

    @Test
    void badRolloutOptionsAreRefusedSayingWhatToWrite() throws Exception {
        Map<String[], String> bad = new java.util.LinkedHashMap<>();
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "50,10"}, "must grow");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10,150"}, "from 1 to 100");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--shadow"}, "give one of them");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--replace"}, "take no --replace");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--analysis-interval", "5s"}, "under the floor of 10 s");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--max-error-rate", "lots"}, "is not a percentage");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--max-error-rate", "150%"}, "from 0% to 100%");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--shadow", "--duration", "soon"}, "is not a duration");
        bad.put(new String[]{"models", "deploy", "bike", "2", "--canary", "10", "--failure-limit", "0"}, "at least 1");
        bad.forEach((args, message) -> {
            CliResult r = flywheel(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains(message);
        });
        CliResult unknown = flywheel("rollouts", "status", "0000dead");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("No rollout with id '0000dead'");
        assertThat(ok("rollouts", "list").out()).contains("No rollouts");
        assertThat(JSON.readTree(ok("rollouts", "list", "--json").out())).isEmpty();
    }
}
