package dev.flywheel.cli.command;

import dev.flywheel.cli.FlywheelCommand;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.PipelineClasspath;
import dev.flywheel.runtime.ProjectHome;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Optional;

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
        return forRunning(spec, parallelism, stack, null, true);
    }

    /**
     * The project on {@code stack}, else on the stack named before the command ({@code flywheel --stack S ...}); the gate
     * judges against {@code baselineStack}'s production version when given ({@code required}: it must exist).
     */
    static Flywheel forRunning(CommandSpec spec, Integer parallelism, String stack, String baselineStack, boolean required) {
        ClassLoader loader = loader(spec);
        Path home = home(spec);
        String chosen = stack != null ? stack : root(spec).stack;
        return Flywheel.create(cfg -> {
            cfg.home = home;
            cfg.createIfMissing = false;
            cfg.classLoader = loader;
            cfg.stack = chosen;
            cfg.baselineStack = baselineStack;
            cfg.baselineStackRequired = required;
            cfg.maxParallelism = parallelism;
        });
    }

    /**
     * The user's classpath: {@code --classpath}, else {@code FLYWHEEL_CLASSPATH}, else the build output of a project of
     * one's own ({@code flywheel new}) when it has been built; null when none.
     */
    static String classpath(CommandSpec spec) {
        String given = root(spec).classpath;
        String cp = given != null ? given : System.getenv(PipelineClasspath.ENV);
        if (cp == null || cp.isBlank()) {
            Path named = home(spec);
            cp = (named != null ? Optional.of(new ProjectHome(named)) : ProjectHome.locate(Path.of(""), System.getenv()))
                    .flatMap(PipelineClasspath::ofProject).orElse(null);
        }
        return cp;
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
