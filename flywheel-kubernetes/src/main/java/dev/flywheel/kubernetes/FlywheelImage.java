package dev.flywheel.kubernetes;

import java.util.List;

/**
 * The layout of the Flywheel container image ({@code mvn -Pimage package}, Jib): where its Java runtime and classpath
 * are. The manifests Flywheel renders start the prediction server with these paths, and the image test checks the
 * built image has them, so the two cannot drift apart.
 */
public final class FlywheelImage {
    /** The image's Java runtime (a jlink image of the build's JDK, in its own layer). */
    public static final String JAVA = "/opt/java/bin/java";
    /** Jib's layout: resources, classes, then every dependency jar. */
    public static final String CLASSPATH = "/app/resources:/app/classes:/app/libs/*";
    /** The CLI's main class: the image's entrypoint. */
    public static final String CLI_MAIN = "dev.flywheel.cli.Main";
    /** The prediction server's main class, as the local deployer launches it too. */
    public static final String SERVER_MAIN = "dev.flywheel.serving.ServerMain";
    /** The image's user and group (not root; the Jib configuration in flywheel-cli/pom.xml sets it). */
    public static final long USER_ID = 65532;
    /** The port a model server listens on in a pod. */
    public static final int SERVER_PORT = 8080;
    /** Where KServe's storage initializer puts a version's file. */
    public static final String MODEL_DIR = "/mnt/models";
    /** Where the version's signature (a ConfigMap) is mounted. */
    public static final String SIGNATURE_DIR = "/etc/flywheel";
    /** The init container that fetches a version's file for the {@code kubernetes} flavor (KServe's own, reads s3:// gs:// https://). */
    public static final String STORAGE_INITIALIZER = "kserve/storage-initializer:v0.14.1";

    private FlywheelImage() {
    }

    /** The command that starts the prediction server in the image. */
    public static List<String> serverCommand() {
        return List.of(JAVA, "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-cp", CLASSPATH, SERVER_MAIN);
    }

    /** The step runner's main class: runs one step job ({@code RemoteStepMain JOB_FILE}), exit 0 when the step succeeded. */
    public static final String STEP_MAIN = "dev.flywheel.engine.run.RemoteStepMain";

    /**
     * The command that runs one step job in the image: the image's Java and class path with the pipeline's jars after
     * Flywheel's (where a user's image built FROM this one adds them).
     */
    public static List<String> stepCommand(String pipelineClasspath, String jobFile) {
        return List.of(JAVA, "-XX:MaxRAMPercentage=75", "-cp", CLASSPATH + ":" + pipelineClasspath, STEP_MAIN, jobFile);
    }

    /** The step runner that fetches its job from, and leaves its result in, the S3 artifact store ({@link BucketStepMain}). */
    public static final String BUCKET_STEP_MAIN = "dev.flywheel.kubernetes.BucketStepMain";

    /** The command that runs the step job at {@code folder} of the S3 store {@code root} in the image. */
    public static List<String> bucketStepCommand(String pipelineClasspath, String root, String folder) {
        return List.of(JAVA, "-XX:MaxRAMPercentage=75", "-cp", CLASSPATH + ":" + pipelineClasspath, BUCKET_STEP_MAIN, root, folder);
    }

    /** The image's entrypoint: the Flywheel CLI ({@code flywheel server}, {@code flywheel step-run}...). */
    public static List<String> entrypoint() {
        return List.of(JAVA, "-XX:MaxRAMPercentage=75", "-cp", CLASSPATH, CLI_MAIN);
    }
}
