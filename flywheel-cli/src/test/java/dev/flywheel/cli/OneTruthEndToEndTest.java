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

import static dev.flywheel.cli.DeployEndToEndTest.infer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry and the servers agree, through the CLI with a real pipeline and real server processes: a rollback
 * swaps the served version under load with no failed request, a registry-only change shows as a mismatch until
 * {@code served-models sync}, {@code --replace} on the pipeline's server keeps one server, a served version is not
 * deleted by accident, and {@code describe --json} shows the supervisor's and the server's pids.
 */
@ExtendWith(NoDaemonLeft.class)
class OneTruthEndToEndTest {
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
    void rollbackReachesTheServerUnderLoadAndTheListingTellsWhenServersAndRegistryDisagree() throws Exception {
        ok("run", "bike_ct", "--param", "train.rounds=8");
        ok("run", "bike_ct", "--param", "train.rounds=60");
        JsonNode services = new ObjectMapper().readTree(ok("served-models", "list", "--json").out());
        assertThat(services).hasSize(1);
        String uuid = services.get(0).get("uuid").asText();
        String url = services.get(0).get("predictionUrl").asText();
        assertThat(services.get(0).get("follows").asText()).isEqualTo("production");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("2");

        DeployEndToEndTest.Load load = new DeployEndToEndTest.Load(url, 3);
        CliResult rollback;
        try {
            rollback = ok("models", "rollback", "bike");
            load.awaitVersion("1");
        } finally {
            load.stop();
        }
        assertThat(load.failures.get()).as(load.firstFailure.get()).isZero();
        assertThat(rollback.out()).contains("version 1 is production, version 2 archived")
                .contains("service " + uuid + " (follows production): version 2 -> 1, hot-swapped");

        CliResult registryOnly = ok("models", "rollback", "bike", "--registry-only");
        assertThat(registryOnly.out()).contains("version 2 is production, version 1 archived").contains("Registry only");
        CliResult behind = ok("served-models", "list");
        assertThat(behind.out()).contains("1 (!)").contains("production = v2").contains("served-models sync --model");
        JsonNode mismatch = new ObjectMapper().readTree(ok("served-models", "list", "--json").out()).get(0);
        assertThat(mismatch.get("inSync").asBoolean()).isFalse();
        assertThat(mismatch.get("mismatch").asText()).isEqualTo("production is version 2, the service serves version 1");
        assertThat(ok("served-models", "describe", uuid.substring(0, 8)).out()).contains("<- production is version 2");

        assertThat(ok("served-models", "sync", "--model", "bike").out()).contains("version 1 -> 2, hot-swapped");
        assertThat(ok("served-models", "list").out()).doesNotContain("(!)");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("2");

        CliResult replaced = ok("models", "deploy", "bike", "1", "--replace");
        assertThat(replaced.out()).contains("Service " + uuid + " serves bike version 1, following fixed");
        JsonNode after = new ObjectMapper().readTree(ok("served-models", "list", "--json").out());
        assertThat(after).as("--replace switched the pipeline's server: still one").hasSize(1);
        assertThat(after.get(0).get("config").get("pipelineName").asText()).isEqualTo("bike_ct");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("1");

        CliResult again = flywheel("models", "deploy", "bike", "2");
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains("is served already").contains("--replace").contains("--new");

        CliResult delete = flywheel("models", "delete", "bike", "1", "-y");
        assertThat(delete.exit()).isEqualTo(4);
        assertThat(delete.err()).contains("Version 1 of model 'bike' is served by service " + uuid).contains("--force");
        CliResult forced = ok("models", "delete", "bike", "1", "-y", "--force");
        assertThat(forced.out()).contains("Deleted model bike version 1").contains("Still served by service " + uuid);
        assertThat(infer(url).statusCode()).isEqualTo(200);

        JsonNode described = new ObjectMapper().readTree(ok("served-models", "describe", uuid, "--json").out());
        long supervisor = described.get("supervisorPid").asLong();
        long server = described.get("serverPid").asLong();
        assertThat(supervisor).isPositive();
        assertThat(server).isPositive().isNotEqualTo(supervisor);
        assertThat(ProcessHandle.of(server).flatMap(p -> p.parent()).map(ProcessHandle::pid)).hasValue(supervisor);
    }

    @Test
    void thePlainDeployerStepServesPromotesAndSwapsItsOwnServerOrServesFixedWithoutPromoting() throws Exception {
        ok("run", "bike_deploy", "--param", "train.rounds=3");
        ok("run", "bike_deploy", "--param", "train.rounds=9");
        JsonNode services = new ObjectMapper().readTree(ok("served-models", "list", "--json").out());
        assertThat(services).as("the step's own server was swapped, not a second one started").hasSize(1);
        assertThat(services.get(0).get("config").get("modelVersion").asInt()).isEqualTo(2);
        assertThat(services.get(0).get("follows").asText()).isEqualTo("production");
        String url = services.get(0).get("predictionUrl").asText();
        assertThat(infer(url).headers().firstValue("X-Model-Version")).hasValue("2");
        assertThat(ok("models", "describe", "bike", "--stage", "production").out()).contains("Version:      2");

        ok("run", "bike_deploy", "--param", "train.rounds=4", "--param", "deploy_model.promote=false");
        assertThat(infer(url).headers().firstValue("X-Model-Version")).as("served fixed").hasValue("3");
        assertThat(ok("models", "describe", "bike", "--stage", "production").out()).as("not promoted").contains("Version:      2");
        JsonNode fixed = new ObjectMapper().readTree(ok("served-models", "list", "--json").out()).get(0);
        assertThat(fixed.get("follows").asText()).isEqualTo("3");
        assertThat(fixed.get("inSync").asBoolean()).isTrue();
    }
}
