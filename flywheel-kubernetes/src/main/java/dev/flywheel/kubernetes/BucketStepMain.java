package dev.flywheel.kubernetes;

import dev.flywheel.engine.run.RemoteStep;
import dev.flywheel.engine.run.StepComponents;
import dev.flywheel.engine.run.StepJob;
import dev.flywheel.engine.run.StepJobResult;
import dev.flywheel.s3.S3ArtifactStore;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.ArtifactStore;
import dev.flywheel.store.artifact.ArtifactStores;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A step job's pod with no shared volume: {@code java -cp ... BucketStepMain s3://bucket/prefix/ step-jobs/RUN/STEP-N/}
 * reads {@code job.json} from that folder of the S3 artifact store (endpoint and credentials from the environment,
 * as for the step's artifacts), runs it like {@code RemoteStepMain} in a temporary folder, and puts
 * {@code result.json} beside it for the orchestrator to collect. Exits 0 when the step succeeded, 1 when it failed
 * (the reason is in the result), 2 when there is no job to run or the result cannot be stored (the reason on stderr,
 * which is the pod's log).
 */
public final class BucketStepMain {
    private BucketStepMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BucketStepMain s3://BUCKET/PREFIX/ FOLDER/");
            System.exit(2);
        }
        int code;
        try {
            code = run(URI.create(args[0]), args[1]);
        } catch (FlywheelException e) {
            System.err.println("flywheel: the step job at " + args[0] + args[1] + " could not run: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(URI root, String folder) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ArtifactStore opened = ArtifactStores.open(root, loader, System.getenv());
        if (!(opened instanceof S3ArtifactStore store)) {
            throw FlywheelException.invalid(root + " is not an S3 artifact store; the shared volume's step runner reads local job files");
        }
        try (store) {
            byte[] spec = store.read(folder + "job.json").orElseThrow(() -> FlywheelException.notFound("no job.json under "
                    + store.uriOf(folder) + "; the orchestrator deletes it once a step's result is collected, so this Job is stale"));
            Path work = Files.createTempDirectory("flywheel-step-");
            try {
                Path jobFile = work.resolve("job.json");
                Files.write(jobFile, spec);
                StepJob job = StepJob.read(jobFile);
                Path resultFile = work.resolve("result.json");
                new StepJob(job.runId(), job.pipeline(), job.step(), job.stepClass(), job.attempt(), job.configJson(), job.artifactStore(),
                        job.inputs(), resultFile).write(jobFile);
                StepJobResult result = RemoteStep.run(jobFile, new StepComponents(), loader);
                store.publish(Files.readAllBytes(resultFile), folder + "result.json");
                return result.succeeded() ? 0 : 1;
            } finally {
                deleteQuietly(work);
            }
        } catch (IOException e) {
            throw new FlywheelException(dev.flywheel.sdk.ErrorCode.UNAVAILABLE, "cannot use a temporary folder for the step job: " + e, e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
