package dev.flywheel.cli;

import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.store.PrivateFiles;
import dev.flywheel.testkit.Sandbox;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project folder under faults: a folder that is not a project, a corrupt, truncated, empty, read-only or full
 * metadata store, and owner-only files. Every command must fail within seconds with a first line naming the real
 * cause, and must never create or re-initialise a project behind the user's back.
 */
class ProjectFaultsTest {
    /** Every command but {@code init} (and {@code quickstart}, which makes its own project folder), with valid arguments. */
    static final List<String> EVERY_COMMAND = List.of(
            "run hello", "pipelines list", "runs list", "runs describe abc123", "artifacts list", "artifacts describe abc123",
            "artifacts show abc123",
            "models list", "models versions m", "models describe m 1", "models promote m 1 --stage production",
            "models alias m 1 champion", "models rollback m", "models delete m 1", "models import m --onnx /nonexistent/m.onnx --features a,b",
            "models compare m 1 2", "models history m", "models deploy m 1", "serve m",
            "served-models list", "served-models describe abc123", "served-models get-url abc123", "served-models start abc123",
            "served-models stop abc123", "served-models delete abc123", "served-models logs abc123", "served-models sync abc123",
            "served-models traffic abc123 50",
            "schedules create hello --interval 1h", "schedules list", "schedules describe abc123", "schedules pause abc123",
            "schedules resume abc123", "schedules update abc123 --interval 2h", "schedules delete abc123",
            "triggers create folder hello --folder /tmp", "triggers create rows hello --jdbc-url jdbc:sqlite:/tmp/x.db --table t",
            "triggers create webhook hello", "triggers create pipeline hello --after other",
            "triggers create drift hello --model m --window 6h", "triggers create performance hello --model m --metric rmse --above 40 --window 1d",
            "triggers list",
            "triggers describe abc123", "triggers pause abc123", "triggers resume abc123", "triggers delete abc123",
            "scheduler start", "scheduler stop", "scheduler status", "scheduler run",
            "stack register s", "stack list", "stack describe default", "stack set default",
            "model-deployer register d --flavor local", "model-deployer list", "orchestrator register o --flavor local",
            "orchestrator list", "artifact-store register a --flavor local", "artifact-store list",
            "model-deployer describe default", "orchestrator describe default", "artifact-store describe default",
            "step-operator register s --flavor x", "step-operator list", "step-operator describe s",
            "alerter register a --flavor log", "alerter list", "alerter describe default",
            "data-validator register v --flavor ranges", "data-validator list", "data-validator describe default",
            "secrets-store register s --flavor local", "secrets-store list", "secrets-store describe default", "secrets-store set default",
            "metadata-store register m --flavor sqlite", "metadata-store list", "metadata-store describe m",
            "ci release --report /tmp/flywheel-report-never-read.json",
            "secret create db -v password=x", "secret list", "secret describe db", "secret delete db -y",
            "info", "export --to /tmp/flywheel-export-never-written", "import /tmp/flywheel-export-never-written",
            "server up --foreground", "server status", "server down", "server token create t", "server token list", "server token revoke t", "ui",
            "monitor status", "monitor report m", "monitor labels m --file /nonexistent/labels.csv", "monitor performance m",
            "alerts list", "rollouts list", "rollouts status abc123", "rollouts promote abc123", "rollouts abort abc123",
            "rollouts pause abc123", "rollouts resume abc123");
    /** Commands that make a project folder of their own ({@code new} makes a Maven project with its .flywheel/). */
    static final Set<String> CREATE_PROJECTS = Set.of("init", "quickstart", "new");
    /** Commands that work on files alone and never open a project (MonitorDriftCliTest checks they create none). */
    static final Set<String> NEED_NO_PROJECT = Set.of("monitor drift", "flavors list", "ci init");
    static final List<String> READ_COMMANDS = List.of("runs list", "pipelines list", "artifacts list", "models list",
            "served-models list", "schedules list", "triggers list", "stack list", "stack describe default",
            "model-deployer list", "scheduler status");
    static final List<String> WRITE_COMMANDS = List.of("run hello", "schedules create hello --interval 1h",
            "triggers create webhook hello", "stack register s");

    @TempDir
    Path dir;

    @Test
    void theSweepCoversEveryCommandOfTheCli() {
        CommandLine cli = new CommandLine(new FlywheelCommand());
        Subcommands.register(cli, new String[0]);
        Set<String> leaves = new TreeSet<>();
        collectLeaves(cli, leaves);
        Set<String> swept = new TreeSet<>();
        for (String command : EVERY_COMMAND) {
            for (String leaf : leaves) {
                if ((command + " ").startsWith(leaf + " ")) {
                    swept.add(leaf);
                }
            }
        }
        swept.addAll(CREATE_PROJECTS);
        swept.addAll(NEED_NO_PROJECT);
        assertThat(swept).as("add new commands to EVERY_COMMAND").containsExactlyInAnyOrderElementsOf(leaves);
    }

    private static void collectLeaves(CommandLine c, Set<String> out) {
        if (c.getSubcommands().isEmpty()) {
            out.add(c.getCommandSpec().qualifiedName().substring("flywheel ".length()));
        }
        c.getSubcommands().values().stream().distinct().forEach(sub -> collectLeaves(sub, out));
    }

    @Test
    void everyCommandButInitRefusesAFolderThatIsNotAProjectAndCreatesNothing() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("not-a-project"));
        Path missing = dir.resolve("missing");
        for (Path home : List.of(empty, missing)) {
            for (String command : EVERY_COMMAND) {
                long t0 = System.nanoTime();
                CliResult r = CliResult.inProject(home, command.split(" "));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.exit()).as("%s on %s: %s", command, home, r.err()).isEqualTo(9);
                assertThat(r.err().lines().findFirst().orElse("")).as(command)
                        .startsWith("error: No Flywheel project at " + home).contains("flywheel --home " + home + " init");
                assertThat(ms).as(command).isLessThan(5_000);
            }
        }
        try (Stream<Path> left = Files.list(empty)) {
            assertThat(left).as("nothing was created in the folder").isEmpty();
        }
        assertThat(missing).doesNotExist();

        // a project's parent folder is not the project, but the error points at it
        assertThat(CliResult.inProject(dir.resolve("p/.flywheel"), "init").exit()).isZero();
        CliResult parent = CliResult.inProject(dir.resolve("p"), "runs", "list");
        assertThat(parent.exit()).isEqualTo(9);
        assertThat(parent.err()).contains("pass --home " + dir.resolve("p/.flywheel"));
        assertThat(CliResult.inProject(dir.resolve("p/.flywheel"), "runs", "list").exit()).isZero();
    }

    @Test
    void flywheelHomeNamingAFolderThatIsNotAProjectIsRefusedToo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("env-home"));
        List<String> commands = READ_COMMANDS;
        List<CliSweep.Outcome> outcomes = sweepInChild(null, Map.of("FLYWHEEL_HOME", empty.toString()), commands);
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.exit()).as(o.command()).isEqualTo(9);
            assertThat(o.firstError()).as(o.command()).startsWith("error: No Flywheel project at " + empty);
        });
        try (Stream<Path> left = Files.list(empty)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void corruptTruncatedAndForeignDatabaseFilesFailFastNamingTheCause() throws IOException {
        Path original = projectWithARun("original");
        byte[] db = Files.readAllBytes(original.resolve("flywheel.db"));
        Map<String, byte[]> damaged = Map.of(
                "garbage", "this is not a database, just text that someone wrote over the file".repeat(200).getBytes(),
                "truncated", java.util.Arrays.copyOf(db, db.length / 3),
                "header-only", java.util.Arrays.copyOf(db, 100));
        for (Map.Entry<String, byte[]> e : damaged.entrySet()) {
            Path home = copyProject(original, e.getKey());
            Files.write(home.resolve("flywheel.db"), e.getValue());
            for (String command : Stream.concat(READ_COMMANDS.stream(), WRITE_COMMANDS.stream()).toList()) {
                long t0 = System.nanoTime();
                CliResult r = CliResult.inProject(home, command.split(" "));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String first = r.err().lines().findFirst().orElse("");
                assertThat(r.exit()).as("%s on %s: %s", command, e.getKey(), r.err()).isEqualTo(8);
                assertThat(first).as(command + " on " + e.getKey())
                        .startsWith("error: The metadata store " + home.resolve("flywheel.db") + " is corrupt")
                        .contains("Restore it from a backup");
                assertThat(r.err()).doesNotContain("\tat ").doesNotContain("timed out");
                assertThat(ms).as(command + " on " + e.getKey()).isLessThan(5_000);
            }
        }
    }

    @Test
    void emptyDatabaseBesideArtifactsIsNeverReinitialisedAndTheErrorSaysHowToRecover() throws IOException {
        Path home = projectWithARun("emptied");
        Path db = home.resolve("flywheel.db");
        Files.write(db, new byte[0]);
        Files.deleteIfExists(home.resolve("flywheel.db-wal"));
        Files.deleteIfExists(home.resolve("flywheel.db-shm"));
        for (String command : Stream.concat(Stream.of("init"), Stream.concat(READ_COMMANDS.stream(), WRITE_COMMANDS.stream())).toList()) {
            CliResult r = CliResult.inProject(home, command.split(" "));
            assertThat(r.exit()).as("%s: %s", command, r.err()).isEqualTo(8);
            assertThat(r.err().lines().findFirst().orElse("")).as(command)
                    .startsWith("error: The metadata store " + db + " is empty (0 bytes) although the project holds")
                    .contains("artifact blob").contains("Restore flywheel.db from a backup").contains("mv " + db);
            assertThat(Files.size(db)).as("left as it was after %s", command).isZero();
        }
        // the recovery the message names works
        Files.move(db, home.resolve("flywheel.db.empty"));
        assertThat(CliResult.inProject(home, "init").exit()).isZero();
        assertThat(CliResult.inProject(home, "runs", "list").out()).contains("No runs yet");

        // an empty file alone is no project: commands say so, init makes one
        Path bare = Files.createDirectories(dir.resolve("bare"));
        Files.write(bare.resolve("flywheel.db"), new byte[0]);
        CliResult r = CliResult.inProject(bare, "runs", "list");
        assertThat(r.exit()).isEqualTo(9);
        assertThat(r.err()).contains("flywheel.db is empty");
        assertThat(CliResult.inProject(bare, "init").exit()).isZero();
        assertThat(CliResult.inProject(bare, "runs", "list").exit()).isZero();
    }

    @Test
    void readOnlyProjectAnswersReadCommandsAndRefusesWritesNamingTheCause() throws Exception {
        Assumptions.assumeTrue(Sandbox.available(), "needs user and mount namespaces (unshare) for a read-only mount");
        Path home = projectWithARun("readonly");
        Sandbox sandbox = Sandbox.create().readOnly(home);
        List<CliSweep.Outcome> outcomes = sweepInSandbox(sandbox, home, Stream.concat(READ_COMMANDS.stream(), WRITE_COMMANDS.stream()).toList());
        for (CliSweep.Outcome o : outcomes) {
            if (READ_COMMANDS.contains(o.command())) {
                assertThat(o.exit()).as("%s: %s", o.command(), o.firstError()).isZero();
            } else {
                assertThat(o.exit()).as(o.command()).isEqualTo(8);
                assertThat(o.firstError()).as(o.command())
                        .startsWith("error: The metadata store " + home.resolve("flywheel.db") + " is read-only")
                        .contains("Read commands (list, describe) still work");
            }
            assertThat(o.millis()).as(o.command()).isLessThan(5_000);
        }
        assertThat(outcomes.stream().filter(o -> o.command().equals("runs list")).findFirst().orElseThrow().firstOutput())
                .startsWith("RUN");
    }

    @Test
    void fullDiskFailsEveryCommandWithinSecondsNamingTheFullDisk() throws Exception {
        Assumptions.assumeTrue(Sandbox.available(), "needs user and mount namespaces (unshare) for a small tmpfs");
        Path original = projectWithARun("to-fill");
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        Path home = mount.resolve(".flywheel");
        Sandbox sandbox = Sandbox.create().tmpfs(mount, 4096)
                .then("cp -r '" + original + "' '" + home + "'")
                .then("head -c 100000000 /dev/zero > '" + mount.resolve("filler") + "' 2>/dev/null || true");
        List<String> commands = Stream.concat(WRITE_COMMANDS.stream(), READ_COMMANDS.stream()).toList();
        for (CliSweep.Outcome o : sweepInSandbox(sandbox, home, commands)) {
            assertThat(o.exit()).as("%s: %s", o.command(), o.firstError()).isEqualTo(8);
            assertThat(o.firstError()).as(o.command()).startsWith("error: The disk holding the metadata store "
                    + home.resolve("flywheel.db") + " is full").contains("free space");
            assertThat(o.millis()).as(o.command()).isLessThan(5_000);
        }
    }

    @Test
    void projectFolderAndDatabaseFilesAreOwnerOnlyAndAnOpenedProjectIsTightened() throws IOException {
        Path home = projectWithARun("private");
        assertThat(PrivateFiles.permissions(home)).hasValue("rwx------");
        assertThat(PrivateFiles.permissions(home.resolve("artifacts"))).hasValue("rwx------");
        try (Stream<Path> files = Files.list(home)) {
            List<Path> db = files.filter(p -> p.getFileName().toString().startsWith("flywheel.db")).toList();
            assertThat(db).isNotEmpty();
            for (Path p : db) {
                assertThat(PrivateFiles.permissions(p)).as(p.toString()).hasValue("rw-------");
            }
        }

        // a project made by an older Flywheel, readable by everyone, is tightened on the next command
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("flywheel.db"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(CliResult.inProject(home, "runs", "list").exit()).isZero();
        assertThat(PrivateFiles.permissions(home)).hasValue("rwx------");
        assertThat(PrivateFiles.permissions(home.resolve("flywheel.db"))).hasValue("rw-------");
    }

    // ------------------------------------------------------------------------------------------------------------

    private Path projectWithARun(String name) {
        Path home = dir.resolve(name).resolve(".flywheel");
        assertThat(CliResult.inProject(home, "init").exit()).isZero();
        CliResult run = CliResult.inProject(home, "run", "hello");
        assertThat(run.exit()).as(run.err()).isZero();
        return home;
    }

    private Path copyProject(Path from, String name) throws IOException {
        Path to = dir.resolve(name).resolve(".flywheel");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private List<CliSweep.Outcome> sweepInSandbox(Sandbox sandbox, Path home, List<String> commands) throws Exception {
        Path results = dir.resolve("results-" + System.nanoTime() + ".tsv");
        List<String> cmd = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), List.of("-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"), CliSweep.class.getName()));
        cmd.add(home.toString());
        cmd.add(results.toString());
        cmd.addAll(commands);
        Sandbox.Result r = sandbox.run(cmd, Duration.ofSeconds(120));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return CliSweep.Outcome.read(results, commands);
    }

    private List<CliSweep.Outcome> sweepInChild(Path home, Map<String, String> env, List<String> commands) throws Exception {
        Path results = dir.resolve("results-" + System.nanoTime() + ".tsv");
        List<String> cmd = new ArrayList<>(ProcessRunLauncher.cliCommand(Map.of(), List.of("-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"), CliSweep.class.getName()));
        cmd.add(home == null ? "-" : home.toString());
        cmd.add(results.toString());
        cmd.addAll(commands);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        return CliSweep.Outcome.read(results, commands);
    }
}
