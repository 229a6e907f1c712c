package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.testkit.NoDaemonLeft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's main command, end to end with real parts: generated data, the folder trigger, the pipeline with
 * XGBoost, the gate, a prediction server process hot-swapped under live requests; then the printed stop command
 * leaves no process behind.
 */
@ExtendWith(NoDaemonLeft.class)
class QuickstartTest {
    @TempDir
    Path dir;


    static CliResult flywheel(String... args) {
        return CliResult.run(args);
    }

    /**
     * The gate's story a user agrees with: the teammate's quick model is worse than production on the same data and
     * rejected with one line saying production keeps serving; every candidate that beats production by the margin is
     * deployed (none is turned away by the absolute limit while a worse model keeps serving).
     */
    private static void assertGateDecisionsMakeSense(String out) {
        Matcher rejected = Pattern.compile("a teammate tries a quick model on it: .*\\n.*\\n.*trained v(\\d+), rmse ([\\d.]+) vs production v(\\d+) "
                + "rmse ([\\d.]+) on the same fresh data\\n  -> REJECTED v\\1: worse than production v\\3 on the same fresh data "
                + "\\(rmse \\2 vs \\4\\); the gate keeps v\\3 serving").matcher(out);
        assertThat(rejected.find()).as(out).isTrue();
        assertThat(Double.parseDouble(rejected.group(2))).isGreaterThan(Double.parseDouble(rejected.group(4)));

        Matcher decision = Pattern.compile("trained v(\\d+), rmse ([\\d.]+) vs production v\\d+ rmse ([\\d.]+) on the same fresh data\\n  -> (\\w+)")
                .matcher(out);
        int decisions = 0;
        while (decision.find()) {
            decisions++;
            boolean better = Double.parseDouble(decision.group(2)) < Double.parseDouble(decision.group(3)) - 0.5;
            assertThat(decision.group(4)).as("v" + decision.group(1) + " " + decision.group(2) + " vs " + decision.group(3))
                    .isIn(better ? List.of("DEPLOYED", "CANARY") : List.of("REJECTED"));
        }
        assertThat(decisions).isGreaterThanOrEqualTo(4);
    }

    @Test
    void quickstartTellsTheWholeStoryAndItsServerStopsCleanly() throws Exception {
        Path project = dir.resolve("qs");
        CliResult story = flywheel("quickstart", "--dir", project.toString());
        String home = project.resolve(".flywheel").toString();
        String serviceId = null;
        try {
            assertThat(story.exit()).as(story.out() + story.err()).isZero();
            String out = story.out();
            assertThat(out).contains("batch-01.csv arrives").contains("data trigger fired: batch-01.csv");
            assertThat(out).contains("-> prediction server is up: http://127.0.0.1:");
            assertThat(out).contains("DEPLOYED v1 (new prediction server)").contains("(hot-swapped while serving)");
            assertGateDecisionsMakeSense(out);
            assertThat(out).contains("corrupted on purpose").contains("STOPPED by validation").contains("column 'temp'")
                    .contains("production is untouched");
            assertThat(out).containsPattern("Live requests: [1-9]\\d* answered, 0 failed");
            // The retrained model goes live as the gate's canary and is promoted by its analyses; no client request failed.
            Matcher canary = Pattern.compile("-> CANARY v(\\d+) beside v\\d+: rollout (\\w+)").matcher(out);
            assertThat(canary.find()).as(out).isTrue();
            assertThat(out).contains("next step 100% at 50%: error_rate").contains("promote at 100%: error_rate")
                    .contains("-> rollout " + canary.group(2) + " PROMOTED: every analysis passed");
            Matcher production = Pattern.compile("In production: demand v(\\d+)").matcher(out);
            assertThat(production.find()).isTrue();

            // The drift chapter: the report shows the heat wave's inputs drifted, the trigger fires, the retraining it
            // launches records the drift as its launch reason, and the retrained version deploys (its data says why).
            assertThat(out).contains("A heat wave").contains("drift trigger fired: ")
                    .containsPattern("monitor report demand \\(v\\d+, last 4s, \\d+ requests\\): [2-9] of 9 inputs drifted")
                    .containsPattern("(?m)^    temp +\\S+ .*: drifted$").containsPattern("(?m)^    humidity +\\S+ .*: drifted$");
            Matcher retrained = Pattern.compile("retraining, launched by the drift trigger: drift:demand v\\d+ .*\\n.*\\n"
                    + "  the gate's strategy for it: a canary .*\\n"
                    + "  run (\\S+): trained v(\\d+), rmse ([\\d.]+) vs production v(\\d+) rmse ([\\d.]+) on the same fresh data\\n"
                    + "  -> CANARY v\\2 beside v\\4: rollout \\w+, analysed on live traffic every 10 s\\n(?:     .*\\n)*"
                    + "  -> rollout \\w+ PROMOTED: every analysis passed\\n"
                    + "  why: production v\\4 never saw an hour this hot and expects the usual crowds \\(rmse \\5\\); v\\2 learned").matcher(out);
            assertThat(retrained.find()).as(out).isTrue();
            assertThat(production.group(1)).as("the retrained version serves at the end").isEqualTo(retrained.group(2));
            CliResult run = flywheel("--home", home, "runs", "describe", retrained.group(1), "--json");
            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode reason = new ObjectMapper().readTree(run.out()).get("run").get("launchReason");
            assertThat(reason.get("kind").asText()).as(run.out()).isEqualTo("model_drift");
            assertThat(reason.get("model").asText()).isEqualTo("demand");
            assertThat(reason.get("drifted").toString()).contains("temp");
            assertThat(Files.list(project.resolve("data/rejected")).toList()).extracting(p -> p.getFileName().toString())
                    .containsExactly("batch-07.csv");

            CliResult versions = flywheel("--home", home, "models", "versions", "demand");
            assertThat(versions.exit()).isZero();
            assertThat(versions.out()).contains("production").contains("archived");
            CliResult described = flywheel("--home", home, "models", "describe", "demand", "--stage", "production");
            assertThat(described.out()).contains("Version:").contains(production.group(1));
            assertThat(production.group(1)).as("the promoted canary is production").isEqualTo(canary.group(1));
            CliResult rollouts = flywheel("--home", home, "rollouts", "list");
            assertThat(rollouts.out()).contains("promoted").contains(canary.group(2));

            Matcher stop = Pattern.compile("served-models delete (\\S+) -y").matcher(out);
            assertThat(stop.find()).isTrue();
            serviceId = stop.group(1);
            CliResult list = flywheel("--home", home, "served-models", "list");
            assertThat(list.out().lines().filter(l -> l.contains("demand")).count()).as(list.out()).isEqualTo(1);

            for (String verb : List.of("stop", "delete")) {
                CliResult refused = flywheel("--home", home, "served-models", verb, serviceId);
                assertThat(refused.exit()).as("served-models " + verb + " without -y and without a terminal").isEqualTo(2);
                assertThat(refused.err()).startsWith("error: refused: pass -y to " + verb + " service ")
                        .contains("flywheel served-models " + verb + " " + serviceId + " -y");
            }
            assertThat(flywheel("--home", home, "served-models", "list", "--running").out()).as("still serving").contains("active");
        } finally {
            if (serviceId != null) {
                CliResult deleted = flywheel("--home", home, "served-models", "delete", serviceId, "-y");
                assertThat(deleted.exit()).as(deleted.err()).isZero();
            }
        }
        String id = serviceId;
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(project.toString()) || c.contains(id)).orElse(false))
                .toList();
        assertThat(left).as("processes left behind").isEmpty();
    }
}
