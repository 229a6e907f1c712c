package dev.flywheel.bench.engine;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whole runs of no-op pipelines with full tracking (SQLite metadata, local artifact store): the time of one run
 * divided by its step count is the per-step overhead. {@code chain} runs with the cache off (every step executes
 * and stores its output); {@code cachedChain} re-runs an identical pipeline (every step is a cache hit);
 * {@code fanOut} shows how overhead grows with the number of steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PipelineOverheadBenchmark {
    @Param({"100"})
    public int chainSteps;

    @Param({"100", "1000"})
    public int fanOutSteps;

    private Path dir;
    private Flywheel flywheel;
    private Pipeline cached;
    private final AtomicInteger seed = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("flywheel-bench");
        flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"));
        cached = NoOpSteps.chain(chainSteps, -1);
        require(flywheel.run(cached, RunOptions.defaults(), RunListener.NONE));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        flywheel.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public RunResult chain() {
        return require(flywheel.run(NoOpSteps.chain(chainSteps, seed.incrementAndGet()), RunOptions.defaults().withoutCache(), RunListener.NONE));
    }

    @Benchmark
    public RunResult cachedChain() {
        return require(flywheel.run(cached, RunOptions.defaults(), RunListener.NONE));
    }

    @Benchmark
    public RunResult fanOut() {
        return require(flywheel.run(NoOpSteps.fanOut(fanOutSteps, seed.incrementAndGet()), RunOptions.defaults().withoutCache(), RunListener.NONE));
    }

    private static RunResult require(RunResult r) {
        if (!r.succeeded()) {
            throw new IllegalStateException("benchmark run failed: " + r.error());
        }
        return r;
    }
}
