package dev.flywheel.cli.command;

import dev.flywheel.cli.Main;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.schedule.daemon.ProcessRunLauncher;
import dev.flywheel.server.ServerDaemon;
import dev.flywheel.server.ServerSettings;
import dev.flywheel.server.ServerState;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/** How {@code server up} and {@code ui} reach the project's server daemon, and the command line it runs as. */
final class ServerLaunch {
    /** The server: the parallel collector for its request threads, a bounded heap. */
    private static final List<String> SERVER_JVM = List.of("-XX:+UseParallelGC", "-Xmx1g");

    private ServerLaunch() {
    }

    /** The daemon of the project the command names (a project must exist). */
    static ServerDaemon daemon(CommandSpec spec) {
        try (Flywheel flywheel = Project.existing(spec)) {
            return new ServerDaemon(flywheel.home().dir());
        }
    }

    /** Starts the server in the background with {@code settings} and waits until it answers. */
    static ServerState background(CommandSpec spec, ServerSettings settings) {
        ServerDaemon daemon = daemon(spec);
        List<String> command = new ArrayList<>(ProcessRunLauncher.cliCommand(System.getenv(), SERVER_JVM, Main.class.getName()));
        command.addAll(List.of("--home", daemon.dir().getParent().toString(), "server", "up", "--foreground",
                "--host", settings.host(), "--port", Integer.toString(settings.port())));
        String classpath = Project.classpath(spec);
        if (classpath != null) {
            command.add(1, "--classpath=" + classpath);
        }
        return daemon.start(command, ServerDaemon.START_TIMEOUT);
    }
}
