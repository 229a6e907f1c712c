package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.server.FlywheelServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

@Command(name = "server",
        footer = {"  flywheel server up --foreground", "  flywheel server status", "  flywheel server token create ci"},
        description = "The Flywheel server: REST API (/api/v1), OpenAPI + Swagger UI (/api/docs) and the dashboard.",
        subcommands = {ServerCommand.Up.class, ServerCommand.Down.class, ServerCommand.Status.class, ServerCommand.Token.class})
public final class ServerCommand {

    @Command(name = "up",
            footer = {"  flywheel server up --foreground", "  flywheel server up --foreground --port 9000",
                    "  flywheel server up --foreground --host 0.0.0.0"},
            description = "Start the server on this project (loopback by default).")
    static final class Up implements Runnable {
        @Option(names = "--port", defaultValue = "8237", description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
        int port;
        @Option(names = "--host", defaultValue = ServerSettings.DEFAULT_HOST,
                description = "Address to bind (default: ${DEFAULT-VALUE}). Off loopback, every request needs a bearer token.")
        String host;
        @Option(names = "--foreground", description = "Stay in the foreground until stopped (Ctrl-C, SIGTERM or server down): for containers.")
        boolean foreground;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ServerSettings settings = new ServerSettings(host, port, ServerSettings.DEFAULT_MAX_BODY_BYTES);
            if (!foreground) {
                throw FlywheelException.invalid("the server runs in the foreground for now: flywheel server up --foreground"
                        + " (in the background with: nohup flywheel server up --foreground &)");
            }
            PrintWriter out = spec.commandLine().getOut();
            Flywheel flywheel = Project.existing(spec);
            ServerState.Status before = ServerState.observe(flywheel.home().dir());
            if (before instanceof ServerState.Status.Running running) {
                flywheel.close();
                throw FlywheelException.conflict("A server already runs on this project at " + running.state().url()
                        + " (pid " + running.state().pid() + "); stop it with: flywheel server down");
            }
            FlywheelServer server;
            try {
                server = FlywheelServer.start(flywheel, settings, Clock.systemUTC());
            } catch (RuntimeException e) {
                flywheel.close();
                throw e;
            }
            ServerState state = ServerState.of(server, Instant.now());
            state.write(flywheel.home().dir());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                state.remove(flywheel.home().dir());
                flywheel.close();
                stopped.countDown();
            }, "flywheel-server-stop"));
            out.println("Flywheel server on " + server.url() + " (API: " + server.url() + "api/v1, docs: " + server.url() + "api/docs)"
                    + (settings.loopback() ? "" : "; bound off loopback: every request needs a bearer token"));
            out.println("Stop it with Ctrl-C or: flywheel server down");
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "down", footer = {"  flywheel server down"}, description = "Stop the project's server.")
    static final class Down implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                java.nio.file.Path home = flywheel.home().dir();
                switch (ServerState.observe(home)) {
                    case ServerState.Status.Stopped s -> out.println("No server runs on this project.");
                    case ServerState.Status.Stale s -> {
                        s.state().process().ifPresent(ProcessHandle::destroy);
                        s.state().remove(home);
                        out.println("No server answered (" + s.why() + "); its state file is removed.");
                    }
                    case ServerState.Status.Running r -> {
                        ProcessHandle p = r.state().process().orElseThrow();
                        p.destroy(); // SIGTERM: the server's shutdown hook lets requests finish, then removes the file
                        try {
                            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (java.util.concurrent.TimeoutException e) {
                            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The server (pid " + p.pid() + ") did not stop within 30 s;"
                                    + " it is still running at " + r.state().url());
                        } catch (Exception e) {
                            throw new FlywheelException(ErrorCode.INTERNAL, "Waiting for the server to stop failed: " + e, e);
                        }
                        out.println("Server at " + r.state().url() + " (pid " + p.pid() + ") stopped.");
                    }
                }
            }
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
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                ServerState.Status status = ServerState.observe(flywheel.home().dir());
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
                        yield "Not running (a previous server left its state file: " + s.why() + "). Start it with: flywheel server up --foreground";
                    }
                    case ServerState.Status.Stopped s -> {
                        view.put("status", "stopped");
                        yield "Not running. Start it with: flywheel server up --foreground";
                    }
                };
                if (json) {
                    Json.print(out, view);
                } else {
                    out.println(line);
                }
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
