package dev.flywheel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Stacks and components through the CLI, on a real store: registration checks settings, and runs pick a stack. */
class StackCliTest {
    @TempDir
    Path dir;


    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    @Test
    void defaultStackExistsAfterInitAndNewStacksAreRegisteredDescribedAndSet() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult list = flywheel("stack", "list");
        assertThat(list.out()).contains("*").contains("default").contains("default (local)");
        assertThat(flywheel("stack", "describe").out()).contains("metadata-store (project)").contains("sqlite")
                .contains("secrets-store (project)");

        CliResult deployer = flywheel("model-deployer", "register", "careful", "--flavor", "local", "--setting", "maxRestarts=2",
                "--setting", "restartWindowSeconds=60");
        assertThat(deployer.exit()).as(deployer.err()).isZero();
        assertThat(flywheel("orchestrator", "register", "narrow", "--flavor", "local", "-s", "maxParallelism=1").exit()).isZero();
        CliResult stack = flywheel("stack", "register", "prod", "-o", "narrow", "-d", "careful");
        assertThat(stack.exit()).as(stack.err()).isZero();

        CliResult describe = flywheel("stack", "describe", "prod");
        assertThat(describe.out()).contains("model-deployer").contains("careful").contains("maxRestarts=2").contains("narrow")
                .containsPattern("artifact-store +default");
        assertThat(flywheel("stack", "set", "prod").exit()).isZero();
        assertThat(flywheel("stack", "describe").out()).contains("Stack: prod (active)");
        assertThat(flywheel("model-deployer", "list").out()).contains("careful").contains("default");

        CliResult run = flywheel("run", "hello", "--stack", "default");
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void badComponentsAndStacksAreRejectedAtRegistrationWithWhatToDo() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult unknownKey = flywheel("model-deployer", "register", "x", "--flavor", "local", "--setting", "replicas=3");
        assertThat(unknownKey.exit()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("Unknown setting 'replicas'").contains("accepted: maxRestarts");

        CliResult badValue = flywheel("model-deployer", "register", "x", "--flavor", "local", "--setting", "maxRestarts=-1");
        assertThat(badValue.exit()).isEqualTo(2);
        assertThat(badValue.err()).contains("maxRestarts must be >= 0");

        CliResult notANumber = flywheel("model-deployer", "register", "x", "--flavor", "local", "--setting", "maxRestarts=many");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid settings");

        CliResult unknownFlavor = flywheel("model-deployer", "register", "k8s", "--flavor", "nomad");
        assertThat(unknownFlavor.exit()).isEqualTo(2);
        assertThat(unknownFlavor.err()).contains("Unknown model-deployer flavor 'nomad'").contains("kserve").contains("local");

        CliResult missing = flywheel("stack", "register", "prod", "-d", "nope");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("model-deployer 'nope', which is not registered").contains("flywheel model-deployer register nope");

        CliResult taken = flywheel("stack", "register", "default");
        assertThat(taken.exit()).isEqualTo(4);

        CliResult noStack = flywheel("run", "hello", "--stack", "nope");
        assertThat(noStack.exit()).isEqualTo(3);
        assertThat(noStack.err()).contains("No stack named 'nope'").contains("flywheel stack list");
    }
}
