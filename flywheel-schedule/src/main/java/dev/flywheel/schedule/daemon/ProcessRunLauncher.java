package dev.flywheel.schedule.daemon;

import dev.flywheel.daemon.Launch;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Starts each run as a child process through the same path as {@code flywheel run}: {@code <command> --home HOME
 * run PIPELINE --trigger T [--classpath CP] [--param K=V ...]}, with its output in the fire's log file. The command is
 * the {@code ./flywheel} launcher when there is one ({@code FLYWHEEL_LAUNCHER}), else this JVM's java with this
 * JVM's class path and the CLI's main class.
 */
public final class ProcessRunLauncher implements RunLauncher {
    private final List<String> command;
    private final Path home;

    /**
     * @param command the CLI command, for example {@code [/opt/flywheel/flywheel]} or
     *                {@code [java, -cp, ..., dev.flywheel.cli.Main]}
     * @param home    the project's {@code .flywheel} folder, passed to the child as {@code --home}
     */
    public ProcessRunLauncher(List<String> command, Path home) {
        this.command = List.copyOf(command);
        this.home = home.toAbsolutePath();
    }

    /**
     * The CLI command of this installation: {@code $FLYWHEEL_LAUNCHER}, else this JVM with {@code jvmOptions},
     * this JVM's class path and {@code mainClass}.
     */
    public static List<String> cliCommand(Map<String, String> env, List<String> jvmOptions, String mainClass) {
        String launcher = env.get("FLYWHEEL_LAUNCHER");
        if (launcher != null && !launcher.isBlank() && Files.isExecutable(Path.of(launcher))) {
            return List.of(launcher);
        }
        return Launch.javaCommand(jvmOptions, mainClass, List.of());
    }

    @Override
    public Launched launch(Request request) {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--home", home.toString(), "run", request.pipeline(), "--trigger", request.trigger(), "--fire-id", request.fireId()));
        if (request.reasonJson() != null) {
            cmd.addAll(List.of("--launch-reason", request.reasonJson()));
        }
        if (!request.launch().classpath().isBlank()) {
            cmd.addAll(List.of("--classpath", request.launch().classpath()));
        }
        request.params().forEach((k, v) -> cmd.addAll(List.of("--param", k + "=" + v)));
        Launch launch = Launch.of(cmd).logTo(request.logFile().toAbsolutePath()).withEnvironment("FLYWHEEL_HOME", home.toString());
        if (home.getParent() != null) {
            launch = launch.in(home.getParent());
        }
        try {
            Process p = launch.start("a run of pipeline " + request.pipeline());
            return new Launched() {
                @Override
                public long pid() {
                    return p.pid();
                }

                @Override
                public boolean isAlive() {
                    return p.isAlive();
                }

                @Override
                public OptionalInt exitCode() {
                    return p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
                }

                @Override
                public void onExit(Runnable action) {
                    p.onExit().thenRun(action);
                }
            };
        } catch (FlywheelException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, e.getMessage() + " (command: " + String.join(" ", command) + ")", e);
        }
    }
}
