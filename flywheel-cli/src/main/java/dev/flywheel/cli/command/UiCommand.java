package dev.flywheel.cli.command;

import dev.flywheel.server.ServerDaemon;
import dev.flywheel.server.ServerSettings;
import dev.flywheel.server.ServerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

@Command(name = "ui", footer = {"  flywheel ui", "  flywheel ui --no-browser", "  flywheel ui --port 9000"},
        description = "Open the dashboard of this project's server, starting the server in the background first when none runs"
                + " (stop it with: flywheel server down); prints its URL.")
public final class UiCommand implements Runnable {
    @Option(names = "--port", defaultValue = "8237", description = "Port for a server started now (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;
    @Option(names = "--no-browser", description = "Only print the URL (a browser is opened only where a desktop session is).")
    boolean noBrowser;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        ServerDaemon daemon = ServerLaunch.daemon(spec);
        String url = switch (daemon.status()) {
            case ServerState.Status.Running r -> r.state().url();
            case ServerState.Status.Stale s -> started(daemon);
            case ServerState.Status.Stopped s -> started(daemon);
        };
        out.println(url);
        out.flush();
        if (!noBrowser && desktop()) {
            try {
                new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                spec.commandLine().getErr().println("warning: could not open a browser (" + e.getMessage() + "); open " + url);
            }
        }
    }

    private String started(ServerDaemon daemon) {
        daemon.stop(ServerDaemon.STOP_GRACE); // a stale state file is removed first
        ServerState s = ServerLaunch.background(spec, new ServerSettings(ServerSettings.DEFAULT_HOST, port, ServerSettings.DEFAULT_MAX_BODY_BYTES));
        spec.commandLine().getErr().println("Started the server (pid " + s.pid() + "); stop it with: flywheel server down");
        return s.url();
    }

    /** A desktop session with xdg-open: never on a server, in CI or in a test. */
    private static boolean desktop() {
        boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        return display && System.getenv("CI") == null && List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> new java.io.File(dir, "xdg-open").canExecute());
    }
}
