package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one process of a daemon: its command, where its output goes, and whether it is detached.
 * Immutable; each {@code with...} returns a new launch.
 *
 * <pre>{@code
 * Process p = Launch.java(List.of("-Xmx48m"), "dev.flywheel.deploy.local.Supervisor", args)
 *         .detached().logTo(folder.log("supervisor.log")).start("the supervisor of service " + id);
 * }</pre>
 *
 * <p>A detached process runs in its own session ({@code setsid}), so it outlives the command or test that started
 * it and a Ctrl-C in that terminal does not reach it. {@code setsid} execs in place (the launched process is not a
 * process-group leader), so the returned {@link Process} is the daemon itself. Standard input is {@code /dev/null};
 * standard output and error are appended to the log file (created owner-only), or discarded.
 */
public record Launch(List<String> command, boolean inOwnSession, Path log, Path directory, Map<String, String> environment) {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a launch needs a command");
        }
    }

    /** Runs {@code command} as it is. */
    public static Launch of(List<String> command) {
        return new Launch(command, false, null, null, Map.of());
    }

    /** This JVM's {@code java} running {@code mainClass} from this JVM's class path. */
    public static Launch java(List<String> jvmOptions, String mainClass, List<String> args) {
        return of(javaCommand(jvmOptions, mainClass, args));
    }

    /** {@code [java, jvmOptions..., --enable-native-access=ALL-UNNAMED, -cp, <this class path>, mainClass, args...]}. */
    public static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** In its own session, so it outlives whoever started it. */
    public Launch detached() {
        return new Launch(command, true, log, directory, environment);
    }

    /** Standard output and error appended to {@code file}. */
    public Launch logTo(Path file) {
        return new Launch(command, inOwnSession, Objects.requireNonNull(file, "log"), directory, environment);
    }

    public Launch in(Path workingDirectory) {
        return new Launch(command, inOwnSession, log, workingDirectory, environment);
    }

    public Launch withEnvironment(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Launch(command, inOwnSession, log, directory, env);
    }

    /** The command as it runs: behind {@code setsid} when detached. */
    public List<String> fullCommand() {
        if (!inOwnSession) {
            return command;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(SETSID) ? SETSID.toString() : "setsid");
        cmd.addAll(command);
        return cmd;
    }

    /**
     * Starts the process.
     *
     * @param what who it is, for the error message ({@code "the scheduler"})
     * @throws FlywheelException UNAVAILABLE when it cannot be started, naming what and why
     */
    public Process start(String what) {
        ProcessBuilder pb = new ProcessBuilder(fullCommand()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (log != null) {
            if (log.getParent() != null) {
                new DaemonFolder(log.getParent()).log(log.getFileName().toString());
            }
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } else {
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().putAll(environment);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot start " + what + ": " + e.getMessage()
                    + (inOwnSession ? "; 'setsid' (util-linux) and 'java' must be installed" : ""));
        }
    }
}
