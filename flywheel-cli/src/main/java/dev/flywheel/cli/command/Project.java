package dev.flywheel.cli.command;

import dev.flywheel.cli.FlywheelCommand;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.PipelineClasspath;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/**
 * How commands open the project: only {@code init} creates one; every other command needs an existing project. Every
 * command sees the user's classpath ({@code --classpath}, else {@code FLYWHEEL_CLASSPATH}): pipelines, and plug-in
 * flavors a stack may use.
 */
final class Project {
    private Project() {
    }

    static Flywheel existing(CommandSpec spec) {
        return forRunning(spec, null, null);
    }

    static Flywheel forRunning(CommandSpec spec, Integer parallelism, String stack) {
        ClassLoader loader = loader(spec);
        Path home = home(spec);
        return Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
            cfg.classLoader = loader;
            cfg.stack = stack;
            cfg.maxParallelism = parallelism;
        });
    }

    /** The user's classpath: {@code --classpath}, else {@code FLYWHEEL_CLASSPATH}; null when neither. */
    static String classpath(CommandSpec spec) {
        String given = root(spec).classpath;
        return given != null ? given : System.getenv(PipelineClasspath.ENV);
    }

    /** Flywheel's class loader, extended by the user's classpath. */
    static ClassLoader loader(CommandSpec spec) {
        return PipelineClasspath.loader(classpath(spec), Project.class.getClassLoader());
    }

    static Path home(CommandSpec spec) {
        return root(spec).home;
    }

    private static FlywheelCommand root(CommandSpec spec) {
        return (FlywheelCommand) spec.root().userObject();
    }
}
