package dev.flywheel.kubernetes.internal;

import java.net.URI;
import java.nio.file.Path;

/**
 * How a step's job spec reaches its pod and the step's result comes back: files on a volume both sides mount, or
 * objects in the stack's S3 artifact store, which the pod opens anyway for the step's artifacts (so a cluster needs
 * no ReadWriteMany volume).
 */
public sealed interface JobExchange {

    /** {@code job.json} and {@code result.json} in the attempt's folder on the shared volume. */
    record SharedVolume(Path jobFile) implements JobExchange {
    }

    /**
     * {@code <folder>job.json} and {@code <folder>result.json} in the S3 store at {@code root}, {@code folder} being
     * {@code step-jobs/<run>/<step>-<attempt>/} (the shared volume's layout), deleted once the result is collected.
     */
    record Bucket(URI root, String folder) implements JobExchange {
        public static Bucket of(URI root, String runId, String step, int attempt) {
            return new Bucket(root, "step-jobs/" + segment(runId) + "/" + segment(step) + "-" + attempt + "/");
        }

        public String jobKey() {
            return folder + "job.json";
        }

        public String resultKey() {
            return folder + "result.json";
        }

        private static String segment(String s) {
            String safe = s.replaceAll("[^A-Za-z0-9._-]", "_");
            return safe.equals(".") || safe.equals("..") ? "_" : safe;
        }
    }
}
