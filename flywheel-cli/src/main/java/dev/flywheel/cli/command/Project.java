package dev.flywheel.cli.command;

import dev.flywheel.cli.FlywheelCommand;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.PipelineClasspath;
import dev.flywheel.runtime.ProjectHome;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/** How commands open the project: only {@code init} creates one; every other command needs an existing project. */
final class Project {
    private Project() {
    }

    static Flywheel existing(CommandSpec spec) {
        Path home = home(spec);
        return Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
        });
    }

    static Flywheel forRunning(CommandSpec spec, String classpath) {
        return forRunning(spec, classpath, null, null);
    }

    static Flywheel forRunning(CommandSpec spec, String classpath, Integer parallelism, String stack) {
        String cp = classpath != null ? classpath : System.getenv(PipelineClasspath.ENV);
        if (cp == null || cp.isBlank()) {
            // A project of one's own (flywheel new): its build output, when it has been built.
            Path named = home(spec);
            cp = (named != null ? java.util.Optional.of(new ProjectHome(named)) : ProjectHome.locate(Path.of(""), System.getenv()))
                    .flatMap(PipelineClasspath::ofProject).orElse(null);
        }
        ClassLoader loader = PipelineClasspath.loader(cp, Project.class.getClassLoader());
        Path home = home(spec);
        return Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
            cfg.classLoader = loader;
            cfg.stack = stack;
            if (parallelism != null) {
                cfg.maxParallelism = parallelism;
            }
        });
    }

    private static Path home(CommandSpec spec) {
        return ((FlywheelCommand) spec.root().userObject()).home;
    }
}
