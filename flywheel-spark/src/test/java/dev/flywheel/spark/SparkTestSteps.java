package dev.flywheel.spark;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Small steps for the step operator tests. */
public final class SparkTestSteps {
    private SparkTestSteps() {
    }

    public record Numbers(List<Integer> values) {
    }

    public record Sum(long total, int partitions) {
    }

    public record Config(int count, int partitions, int failAt, long sleepMillis) {
    }

    /** Runs locally: the numbers 1..count. */
    public static final class MakeNumbers {
        @Step(output = "numbers")
        public Numbers make(Config config) {
            return new Numbers(IntStream.rangeClosed(1, config.count()).boxed().toList());
        }
    }

    /** Runs on the step operator: sums the numbers with Spark, over several partitions, optionally failing or dawdling. */
    public static final class SumOnSpark {
        @Step(output = "sum")
        public Sum sum(@Input("numbers") Numbers numbers, Config config, StepContext context) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSteps.session(context).sparkContext());
            int failAt = config.failAt();
            long sleep = config.sleepMillis();
            long total = sc.parallelize(new ArrayList<>(numbers.values()), config.partitions()).map(v -> {
                if (v == failAt) {
                    throw new IllegalStateException("bad number " + v);
                }
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                return (long) v;
            }).reduce(Long::sum);
            context.log("summed %d numbers in %d partitions", numbers.values().size(), config.partitions());
            context.metadata("numbers", numbers.values().size());
            return new Sum(total, config.partitions());
        }
    }
}
