package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.server.ServerDaemon;
import dev.flywheel.server.ServerSettings;
import dev.flywheel.server.ServerState;
import dev.flywheel.server.ServerTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "server",
        footer = {"  flywheel server up --foreground", "  flywheel server status", "  flywheel server token create ci"},
        description = "The Flywheel server: REST API (/api/v1), OpenAPI + Swagger UI (/api/docs) and the dashboard.",
        subcommands = {ServerCommand.Up.class, ServerCommand.Down.class, ServerCommand.Status.class, ServerCommand.Token.class})
public final class ServerCommand {

    @Command(name = "up",
            footer = {"  flywheel server up", "  flywheel server up --port 9000", "  flywheel server up --foreground --host 0.0.0.0"},
            description = "Start the server on this project in the background (loopback by default; pid, state and log in"
                    + " .flywheel/server/), or in the foreground with --foreground (containers).")
    static final class Up implements Runnable {
        @Option(names = "--port", defaultValue = "8237", description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
        int port;
        @Option(names = "--host", defaultValue = ServerSettings.DEFAULT_HOST,
                description = "Address to bind (default: ${DEFAULT-VALUE}). Off loopback, every request needs a bearer token.")
        String host;
        @Option(names = "--foreground", description = "Stay in the foreground until stopped (Ctrl-C, SIGTERM or server down): for containers.")
        boolean foreground;
        @Option(names = "--json", description = "Print JSON (in the background mode).")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ServerSettings settings = new ServerSettings(host, port, ServerSettings.DEFAULT_MAX_BODY_BYTES);
            PrintWriter out = spec.commandLine().getOut();
            if (!foreground) {
                ServerState started = ServerLaunch.background(spec, settings);
                Status.print(out, new ServerState.Status.Running(started), json);
                return;
            }
            Flywheel flywheel = Project.existing(spec);
            try {
                new ServerDaemon(flywheel.home().dir()).run(flywheel, settings, Clock.systemUTC(), server -> {
                    out.println("Flywheel server on " + server.url() + " (API: " + server.url() + "api/v1, docs: " + server.url() + "api/docs)"
                            + (settings.loopback() ? "" : "; bound off loopback: every request needs a bearer token"));
                    out.println("Stop it with Ctrl-C or: flywheel server down");
                    out.flush();
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "down", footer = {"  flywheel server down"}, description = "Stop the project's server (its requests finish first).")
    static final class Down implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ServerDaemon daemon = ServerLaunch.daemon(spec);
            boolean stale = daemon.status() instanceof ServerState.Status.Stale;
            PrintWriter out = spec.commandLine().getOut();
            daemon.stop(ServerDaemon.STOP_GRACE).ifPresentOrElse(
                    s -> out.println("Server at " + s.url() + " (pid " + s.pid() + ") stopped."),
                    () -> out.println(stale ? "No server answered; its state file is removed." : "No server runs on this project."));
        }
    }

    @Command(name = "status", footer = {"  flywheel server status", "  flywheel server status --json"},
            description = "Whether the project's server runs, and its URL.")
    static final class Status implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec.commandLine().getOut(), ServerLaunch.daemon(spec).status(), json);
        }

        static void print(PrintWriter out, ServerState.Status status, boolean json) {
            Map<String, Object> view = new LinkedHashMap<>();
            String line = switch (status) {
                case ServerState.Status.Running r -> {
                    view.put("status", "running");
                    view.put("url", r.state().url());
                    view.put("pid", r.state().pid());
                    view.put("startedAt", r.state().startedAt());
                    yield "Running at " + r.state().url() + " (pid " + r.state().pid() + ", since " + Formats.time(r.state().startedAt()) + ")";
                }
                case ServerState.Status.Stale s -> {
                    view.put("status", "stopped");
                    view.put("stale", s.why());
                    yield "Not running (a previous server left its state file: " + s.why() + "). Start it with: flywheel server up";
                }
                case ServerState.Status.Stopped s -> {
                    view.put("status", "stopped");
                    yield "Not running. Start it with: flywheel server up";
                }
            };
            if (json) {
                Json.print(out, view);
            } else {
                out.println(line);
                out.flush();
            }
        }
    }

    @Command(name = "token",
            footer = {"  flywheel server token create ci", "  flywheel server token create dashboard-viewer --read-only",
                    "  flywheel server token list", "  flywheel server token revoke ci"},
            description = "Bearer tokens for the server's API (stored hashed; shown once when created).",
            subcommands = {Token.Create.class, Token.ListTokens.class, Token.Revoke.class})
    static final class Token {
        @Command(name = "create", footer = {"  flywheel server token create ci", "  flywheel server token create viewer --read-only"},
                description = "Create a token and print it once (it is stored only as a hash).")
        static final class Create implements Runnable {
            @Parameters(index = "0", paramLabel = "NAME", description = "A name to tell tokens apart (recorded in the audit log).")
            String name;
            @Option(names = "--read-only", description = "The token can read but change nothing.")
            boolean readOnly;
            @Option(names = "--json", description = "Print JSON (includes the token).")
            boolean json;
            @Spec
            CommandSpec spec;

            @Override
            public void run() {
                PrintWriter out = spec.commandLine().getOut();
                try (Flywheel flywheel = Project.existing(spec)) {
                    ServerTokens.NewToken t = new ServerTokens(flywheel.home().dir(), Clock.systemUTC())
                            .create(name, readOnly ? ServerTokens.Scope.READ : ServerTokens.Scope.WRITE);
                    if (json) {
                        Json.print(out, t);
                        return;
                    }
                    out.println(t.secret());
                    spec.commandLine().getErr().println("Token '" + name + "' (" + t.info().scope().label() + ") created. It is shown only"
                            + " now; send it as: Authorization: Bearer TOKEN");
                }
            }
        }

        @Command(name = "list", footer = {"  flywheel server token list"}, description = "List tokens (names and scopes; never the tokens).")
        static final class ListTokens implements Runnable {
            @Option(names = "--json", description = "Print JSON.")
            boolean json;
            @Spec
            CommandSpec spec;

            @Override
            public void run() {
                Listing.of("No tokens yet. Create one with: flywheel server token create NAME", "NAME", "SCOPE", "PREFIX", "CREATED")
                        .row((ServerTokens.TokenInfo t) -> new Object[]{t.name(), t.scope().label(), t.prefix() + "...", Formats.time(t.createdAt())})
                        .print(spec, json, flywheel -> new ServerTokens(flywheel.home().dir(), Clock.systemUTC()).list());
            }
        }

        @Command(name = "revoke", footer = {"  flywheel server token revoke ci"},
                description = "Revoke a token: running servers refuse it from the next request on.")
        static final class Revoke implements Runnable {
            @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.")
            String name;
            @Spec
            CommandSpec spec;

            @Override
            public void run() {
                try (Flywheel flywheel = Project.existing(spec)) {
                    new ServerTokens(flywheel.home().dir(), Clock.systemUTC()).revoke(name);
                    spec.commandLine().getOut().println("Token '" + name + "' revoked.");
                }
            }
        }
    }

}
