package dev.flywheel.cli.command;

import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.server.ServerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ui", footer = {"  flywheel ui"},
        description = "Print the dashboard's URL (of the server running on this project).")
public final class UiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        try (Flywheel flywheel = Project.existing(spec)) {
            switch (ServerState.observe(flywheel.home().dir())) {
                case ServerState.Status.Running r -> spec.commandLine().getOut().println(r.state().url());
                case ServerState.Status.Stale s -> throw new FlywheelException(ErrorCode.UNAVAILABLE, "The server is not running (" + s.why()
                        + "); start it with: flywheel server up --foreground");
                case ServerState.Status.Stopped s -> throw new FlywheelException(ErrorCode.UNAVAILABLE, "No server runs on this project;"
                        + " start it with: flywheel server up --foreground");
            }
        }
    }
}
