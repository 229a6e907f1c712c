package dev.flywheel.cli;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the common short commands once in one JVM against a throw-away project, so the launcher can record the
 * classes they load into its ahead-of-time cache ({@code -XX:AOTCacheOutput}; a class-data-sharing archive on JDKs
 * before 25). Later commands map those classes instead of loading, verifying and linking them: this is most of what
 * makes {@code flywheel runs list} start fast. Classes a command loads only for rows it has (a listed service's
 * status, its stored config read back as JSON) are in the cache only if the training has such rows: the project gets
 * two services that run no process, one to start and one stopped.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        // Exit 0 whatever happens: a command that failed only leaves its classes out of the cache.
        train().forEach(problem -> System.err.println("flywheel: cache training: " + problem));
    }

    /**
     * Runs the training commands against a new throw-away project; returns each command that did not end as expected
     * (its classes may be missing from the cache), empty when all did.
     */
    static List<String> train() throws IOException {
        Path dir = Files.createTempDirectory("flywheel-cds");
        List<String> problems = new ArrayList<>();
        try {
            String home = dir.resolve(".flywheel").toString();
            run(problems, 0, "--home", home, "init");
            addServices(Path.of(home));
            run(problems, 0, "--home", home, "runs", "list");
            run(problems, 0, "--home", home, "runs", "list", "--json");
            run(problems, ErrorCode.NOT_FOUND.exitCode(), "--home", home, "runs", "describe", "0");
            run(problems, 0, "--home", home, "artifacts", "list");
            run(problems, 0, "--home", home, "pipelines", "list");
            run(problems, 0, "--home", home, "served-models", "list");
            run(problems, 0, "--home", home, "served-models", "list", "--json");
            run(problems, 0, "--help");
            run(problems, 0, "--version");
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return problems;
    }

    private static void run(List<String> problems, int expectedExit, String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(Writer.nullWriter()), new PrintWriter(err));
        if (exit != expectedExit) {
            problems.add("flywheel " + String.join(" ", args) + " exited " + exit + " (expected " + expectedExit + "): " + err.toString().strip());
        }
    }

    /** Two service rows as a deploy leaves them, without their processes: listing them observes both (in parallel). */
    private static void addServices(Path home) {
        try (Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
        })) {
            ServiceStore services = new ServiceStore(flywheel.metadata());
            Instant now = Instant.now();
            ModelSignature signature = ModelSignature.regression(List.of("a", "b"));
            String[] follows = {"production", "1"};
            for (int i = 0; i < follows.length; i++) {
                DeploymentConfig config = new DeploymentConfig("training", 1, "xgboost", home.resolve("model.ubj"), signature,
                        null, null, null, 0, null, follows[i]);
                DesiredState desired = i == 0 ? DesiredState.RUNNING : DesiredState.STOPPED;
                services.insert(new ServiceRecord(UUID.randomUUID(), "local", config, desired, ServiceStatus.ACTIVE, null,
                        "http://127.0.0.1:1/v2/models/training/infer", 0, 1, 0, now, now, "training-" + i, 0));
            }
        }
    }
}
