package dev.flywheel.runtime;

import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.Schedule;
import dev.flywheel.sdk.spi.PipelineRunner;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Backs {@code Pipeline.run()} and {@code Pipeline.schedule(...)}: opens the project found from the working
 * directory (creating {@code .flywheel/} on first use) with the pipeline's own class loader, and closes it after.
 */
public final class FlywheelPipelineRunner implements PipelineRunner {
    @Override
    public RunResult run(Pipeline pipeline, RunOptions options) {
        ClassLoader loader = pipeline.steps().get(0).stepClass().getClassLoader();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.classLoader = loader)) {
            return flywheel.run(pipeline, options, RunListener.NONE);
        }
    }

    /**
     * Stores the class path the pipeline was loaded from (its {@link URLClassLoader}'s entries, else this JVM's
     * class path), after checking that a {@code PipelineProvider} on it registers the pipeline by name: the
     * scheduler starts it later by that name, as {@code flywheel run NAME --classpath CP} would.
     */
    @Override
    public String schedule(Pipeline pipeline, Schedule schedule) {
        ClassLoader loader = pipeline.steps().get(0).stepClass().getClassLoader();
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.classLoader = loader)) {
            return schedule(flywheel, pipeline, schedule);
        }
    }

    static String schedule(Flywheel flywheel, Pipeline pipeline, Schedule schedule) {
        ClassLoader loader = pipeline.steps().get(0).stepClass().getClassLoader();
        if (flywheel.pipelines().registered().stream().noneMatch(p -> p.name().equals(pipeline.name()))) {
            throw FlywheelException.invalid("Pipeline '" + pipeline.name() + "' cannot be scheduled: no PipelineProvider on its"
                    + " class path registers it by name, so the scheduler could not start it later. Return it from a"
                    + " dev.flywheel.sdk.spi.PipelineProvider listed in META-INF/services/dev.flywheel.sdk.spi.PipelineProvider");
        }
        return flywheel.schedules().create(pipeline.name(), schedule, LaunchSpec.of(classpathOf(loader))).id();
    }

    static String classpathOf(ClassLoader loader) {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a local file: the child cannot load it from a class path either
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path", "");
        }
        return String.join(File.pathSeparator, entries);
    }
}
