package dev.flywheel.runtime;

import dev.flywheel.sdk.Input;
import dev.flywheel.sdk.Outputs;
import dev.flywheel.sdk.Step;
import dev.flywheel.sdk.StepContext;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Small real steps for engine tests: they compute, log, fail and hang on purpose. */
public final class TestSteps {
    private TestSteps() {
    }

    public record Numbers(List<Integer> values) {
    }

    public static final class Generate {
        public record Config(int count, int offset) {
        }

        @Step(output = "numbers")
        public Numbers generate(Config config, StepContext context) {
            context.log("generating %d numbers", config.count());
            System.out.println("stdout line from generate");
            return new Numbers(IntStream.range(config.offset(), config.offset() + config.count()).boxed().toList());
        }
    }

    public static final class Sum {
        @Step(output = "total")
        public Long sum(@Input("numbers") Numbers numbers) {
            return numbers.values().stream().mapToLong(Integer::longValue).sum();
        }
    }

    public static final class Stats {
        @Outputs
        public record Result(Integer count, Double mean) {
        }

        @Step
        public Result stats(@Input("numbers") Numbers numbers, StepContext context) {
            double mean = numbers.values().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
            context.metadata("count", numbers.values().size());
            return new Result(numbers.values().size(), mean);
        }
    }

    public static final class Report {
        @Step(output = "report")
        public String report(@Input("total") Long total, @Input("count") Integer count, @Input("mean") Double mean) {
            return "total=" + total + " count=" + count + " mean=" + mean;
        }
    }

    public static final class Boom {
        @Step(output = "never")
        public String boom(@Input("numbers") Numbers numbers) {
            throw new IllegalStateException("the data has " + numbers.values().size() + " rows, expected more");
        }
    }

    public static final class AfterBoom {
        @Step(output = "after")
        public String after(@Input("never") String never) {
            return never;
        }
    }

    /** Fails until it has been called {@code FAILURES} times in this JVM. */
    public static final class Flaky {
        public static final AtomicInteger CALLS = new AtomicInteger();
        public static final int FAILURES = 2;

        @Step(output = "flaky")
        public String flaky(@Input("numbers") Numbers numbers) {
            if (CALLS.incrementAndGet() <= FAILURES) {
                throw new IllegalStateException("transient failure " + CALLS.get());
            }
            return "ok after " + CALLS.get();
        }
    }

    public static final class Hang {
        @Step(output = "hung")
        public String hang(@Input("numbers") Numbers numbers) throws InterruptedException {
            new java.util.concurrent.CountDownLatch(1).await();
            return "unreachable";
        }
    }
}
