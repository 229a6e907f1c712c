package dev.flywheel.kubernetes;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import dev.flywheel.sdk.StepSpec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/** Small steps that run as Jobs in the orchestrator tests (on this module's test class path, so the kubelet's child JVM has them). */
public final class JobTestSteps {
    private JobTestSteps() {
    }

    public record Numbers(List<Integer> values) {
    }

    public record Config(int count, boolean failSum, long sleepMillis) {
    }

    /** load -> (sum, describe) -> report: a diamond, so ordering and a parallel branch are both exercised. */
    public static Pipeline diamond(Config config, Duration sumTimeout) {
        StepSpec sum = StepSpec.of(Sum.class).withConfig(config).withoutCache();
        return Pipeline.named("k8s_diamond")
                .step(StepSpec.of(Load.class).withConfig(config).withoutCache())
                .step(sumTimeout == null ? sum : sum.withTimeout(sumTimeout))
                .step(StepSpec.of(Describe.class).withoutCache())
                .step(StepSpec.of(Report.class).withoutCache())
                .build();
    }

    /** load -> describe: the smallest run whose second Job reads what the first wrote. */
    public static Pipeline pair(Config config) {
        return Pipeline.named("k8s_pair")
                .step(StepSpec.of(Load.class).withConfig(config).withoutCache())
                .step(StepSpec.of(Describe.class).withoutCache())
                .build();
    }

    public static final class Load {
        @Step(output = "numbers")
        public Numbers load(Config config) {
            return new Numbers(IntStream.rangeClosed(1, config.count()).boxed().toList());
        }
    }

    public static final class Sum {
        @Step(output = "total")
        public Long sum(@Input("numbers") Numbers numbers, Config config, StepContext context) throws InterruptedException {
            // straight to the process's stdout, as native code would: only the pod's log has it
            PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            stdout.println("sum: pid " + ProcessHandle.current().pid() + " in the pod");
            if (config.sleepMillis() > 0) {
                Thread.sleep(config.sleepMillis());
            }
            if (config.failSum()) {
                throw new IllegalStateException("the numbers do not add up");
            }
            String password = System.getenv("FLYWHEEL_DB_PASSWORD");
            context.metadata("db_password_length", password == null ? -1 : password.length());
            context.metadata("aws_region", String.valueOf(System.getenv("AWS_REGION")));
            context.metadata("home_inherited", System.getenv("HOME") != null);
            context.metadata("pid", ProcessHandle.current().pid());
            context.log("summed " + numbers.values().size() + " numbers");
            return numbers.values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    public static final class Describe {
        @Step(output = "text")
        public String describe(@Input("numbers") Numbers numbers) {
            return numbers.values().size() + " numbers";
        }
    }

    public static final class Report {
        @Step(output = "report")
        public String report(@Input("total") Long total, @Input("text") String text) {
            return text + " adding up to " + total;
        }
    }
}
