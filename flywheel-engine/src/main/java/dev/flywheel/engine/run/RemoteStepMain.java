package dev.flywheel.engine.run;

import java.nio.file.Path;

/**
 * Runs a step job in a plain JVM: {@code java -cp CLASSPATH dev.flywheel.engine.run.RemoteStepMain JOB_FILE}. Exits 0
 * when the step succeeded, 1 when it failed (the reason is in the result file), 2 on bad arguments.
 */
public final class RemoteStepMain {
    private RemoteStepMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RemoteStepMain JOB_FILE");
            System.exit(2);
        }
        StepJobResult result = RemoteStep.run(Path.of(args[0]), new StepComponents(), Thread.currentThread().getContextClassLoader());
        System.exit(result.succeeded() ? 0 : 1);
    }
}
