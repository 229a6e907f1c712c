package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.deploy.Rollout;
import dev.flywheel.deploy.ServiceView;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceRecord;
import dev.flywheel.deploy.service.ServiceStatus;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

@Command(name = "served-models",
        footer = {"  flywheel served-models list", "  flywheel served-models logs 5d1c -f"},
        description = "Deployed model servers (services): list, describe, start, stop, delete, logs.",
        subcommands = {ServedModelsCommand.ListServices.class, ServedModelsCommand.Describe.class, ServedModelsCommand.GetUrl.class,
                ServedModelsCommand.Traffic.class,
                ServedModelsCommand.Start.class, ServedModelsCommand.Stop.class, ServedModelsCommand.Delete.class,
                ServedModelsCommand.Logs.class, ServedModelsCommand.Sync.class})
public final class ServedModelsCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Command(name = "list",
            footer = {"  flywheel served-models list", "  flywheel served-models list --model demand --running --json"},
            description = "List services with their status observed now.")
    static final class ListServices implements Runnable {
        @Option(names = "--pipeline", paramLabel = "P", description = "Only services of this pipeline.")
        String pipeline;
        @Option(names = "--step", paramLabel = "S", description = "Only services deployed by this step.")
        String step;
        @Option(names = "--model", paramLabel = "M", description = "Only services of this model.")
        String model;
        @Option(names = "--running", description = "Only services that answer now.")
        boolean running;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No served models. Deploy one with: flywheel models deploy NAME VERSION",
                            "STATUS", "UUID", "NAME", "MODEL", "VERSION", "FOLLOWS", "PIPELINE", "STEP", "URL")
                    .row((ServiceView v) -> {
                        ServiceRecord r = v.record();
                        return new Object[]{r.status().text(), r.uuid(), dash(r.name()), r.modelName(), r.modelVersion() + (v.inSync() ? "" : " (!)"),
                                follows(v), dash(r.pipelineName()), dash(r.stepName()), dash(r.predictionUrl())};
                    })
                    .json(ServedModelsCommand::json)
                    .footer((out, services) -> {
                        long behind = services.stream().filter(v -> !v.inSync()).count();
                        if (behind > 0) {
                            out.println("(!) " + behind + (behind == 1 ? " service serves" : " services serve") + " another version than "
                                    + "the one it follows; roll out with: flywheel served-models sync --model MODEL");
                        }
                    })
                    .print(spec, json, flywheel -> flywheel.deployments().views(pipeline, step, model, running));
        }
    }

    /** The host of a prediction URL, where the gRPC port listens too. */
    static String hostOf(String url) {
        if (url == null) {
            return "127.0.0.1";
        }
        String host = java.net.URI.create(url).getHost();
        return host == null ? "127.0.0.1" : host;
    }

    @Command(name = "describe",
            footer = {"  flywheel served-models describe 5d1c"},
            description = "Every property of a service, its status observed now.")
    static final class Describe implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                ServiceView view = flywheel.deployments().view(s);
                ServiceStatus status = view.record().status();
                ServiceRecord r = view.record();
                java.util.Optional<dev.flywheel.deploy.service.ServiceDetails> details = s.details();
                if (json) {
                    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) json(view);
                    details.ifPresent(d -> n.set("cluster", ServiceJson.MAPPER.valueToTree(d)));
                    s.servingOptions().ifPresent(o -> n.set("serving", ServiceJson.MAPPER.valueToTree(o)));
                    Json.print(out, n);
                    return;
                }
                out.println("UUID:           " + r.uuid());
                out.println("Name:           " + dash(r.name()));
                out.println("Flavor:         " + r.flavor());
                out.println("Status:         " + status.text());
                out.println("Desired state:  " + r.desiredState().name().toLowerCase(java.util.Locale.ROOT));
                out.println("Model:          " + r.modelName() + " version " + r.modelVersion() + " (" + r.config().format() + ")");
                out.println("Follows:        " + follows(view) + (view.inSync() ? "" : "  <- " + view.mismatch()
                        + "; roll out with: flywheel served-models sync " + r.label()));
                out.println("Model file:     " + r.config().modelFile());
                out.println("Prediction URL: " + dash(r.predictionUrl()));
                out.println("Pipeline:       " + dash(r.pipelineName()));
                out.println("Step:           " + dash(r.stepName()));
                out.println("Run:            " + dash(r.runId()));
                out.println("Supervisor pid: " + (r.pid() == 0 ? "-" : r.pid()));
                out.println("Server pid:     " + (r.serverPid() == 0 ? "-" : r.serverPid()));
                out.println("Port:           " + (r.port() == 0 ? "-" : r.port()));
                java.util.Optional<dev.flywheel.deploy.service.ServingOptions> serving = s.servingOptions();
                out.println("gRPC:           " + serving.filter(o -> o.grpcPort() > 0).map(o -> hostOf(r.predictionUrl()) + ":" + o.grpcPort()
                        + " (inference.GRPCInferenceService)").orElse("-"));
                out.println("Batching:       " + serving.map(dev.flywheel.deploy.service.ServingOptions::batching).orElse("-"));
                out.println("Restarts:       " + r.restartCount());
                out.println("Last error:     " + dash(r.lastError()));
                out.println("Created:        " + Formats.time(r.createdAt()));
                out.println("Updated:        " + Formats.time(r.updatedAt()));
                s.logFile().ifPresent(f -> out.println("Log:            " + f));
                details.ifPresent(d -> {
                    out.println("Conditions:" + (d.conditions().isEmpty() ? "     -" : ""));
                    d.conditions().forEach(c -> out.println("  " + c.describe()));
                    out.println("Events:" + (d.events().isEmpty() ? "         -" : ""));
                    d.events().forEach(e -> out.println("  " + e));
                    out.println("Object:" + (d.object() == null ? "         - (not in the cluster)" : ""));
                    if (d.object() != null) {
                        d.object().lines().forEach(l -> out.println("  " + l));
                    }
                });
                out.flush();
            }
        }
    }

    @Command(name = "traffic",
            footer = {"  flywheel served-models traffic demand 30", "  flywheel served-models traffic demand 100",
                    "  flywheel served-models traffic demand 0"},
            description = {"Move a canary's share of traffic (kserve, seldon deployers with canaryTrafficPercent set).",
                    "A replace starts the canary; this moves it: 100 promotes the new version, 0 rolls back to the previous one."})
    static final class Traffic implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Service id, prefix or name.")
        String id;
        @Parameters(index = "1", paramLabel = "PERCENT", description = "The new version's share, 0 (roll back) to 100 (promote).")
        int percent;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long to wait for the cluster (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().traffic(id, percent, Duration.ofSeconds(timeoutSeconds));
                if (json) {
                    Json.print(out, ServiceJson.record(s.record()));
                    return;
                }
                out.println(percent == 100 ? "Service " + s.record().label() + " now serves version " + s.record().modelVersion() + " only (promoted)."
                        : percent == 0 ? "Service " + s.record().label() + " rolled back: version " + s.record().modelVersion() + " serves everything."
                        : "Service " + s.record().label() + ": " + percent + "% of traffic to the new version.");
            }
        }
    }

    @Command(name = "get-url",
            footer = {"  flywheel served-models get-url 5d1c"},
            description = "Print the prediction URL of a service.")
    static final class GetUrl implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                if (s.predictionUrl() == null) {
                    throw new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + s.record().uuid() + " has never started, so it has no URL; "
                            + "start it with: flywheel served-models start " + s.record().uuid());
                }
                spec.commandLine().getOut().println(s.predictionUrl());
            }
        }
    }

    @Command(name = "start",
            footer = {"  flywheel served-models start 5d1c"},
            description = "Start a stopped or failed service and wait until it is healthy.")
    static final class Start implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                s.start(TIMEOUT);
                spec.commandLine().getOut().println("Service " + s.record().uuid() + " is active: " + s.predictionUrl());
            }
        }
    }

    @Command(name = "stop",
            footer = {"  flywheel served-models stop 5d1c", "  flywheel served-models stop 5d1c -y --force"},
            description = "Stop a service (in-flight requests finish first).")
    static final class Stop implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Mixin
        Confirmation confirmation;
        @Option(names = "--force", description = "Kill at once instead of letting requests finish.")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                confirmation.require("stop service " + s.record().uuid() + " (" + s.record().modelName() + " version "
                        + s.record().modelVersion() + ")", id);
                s.stop(TIMEOUT, force);
                spec.commandLine().getOut().println("Service " + s.record().uuid() + " stopped.");
            }
        }
    }

    @Command(name = "delete",
            footer = {"  flywheel served-models delete 5d1c", "  flywheel served-models delete 5d1c -y"},
            description = "Stop a service and remove it with its folder and logs.")
    static final class Delete implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Mixin
        Confirmation confirmation;
        @Option(names = "--force", description = "Kill at once instead of letting requests finish.")
        boolean force;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                confirmation.require("delete service " + s.record().uuid() + " (" + s.record().modelName() + " version "
                        + s.record().modelVersion() + ")", id);
                flywheel.deployments().delete(s.record().uuid(), TIMEOUT, force);
                spec.commandLine().getOut().println("Service " + s.record().uuid() + " deleted.");
            }
        }
    }

    @Command(name = "logs",
            footer = {"  flywheel served-models logs 5d1c --tail 50", "  flywheel served-models logs 5d1c -f"},
            description = "Print a service's server log.")
    static final class Logs implements Runnable {
        @Parameters(index = "0", paramLabel = "UUID", description = "Service id or a unique prefix of it.")
        String id;
        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted (Ctrl-C).")
        boolean follow;
        @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
        Integer tail;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (tail != null && tail < 0) {
                throw FlywheelException.invalid("--tail must be >= 0, got " + tail);
            }
            PrintWriter out = spec.commandLine().getOut();
            Path file;
            try (Flywheel flywheel = Project.existing(spec)) {
                Service s = flywheel.deployments().get(id);
                java.util.Optional<java.util.List<String>> fetched = s.logFile().isPresent() ? java.util.Optional.empty()
                        : s.fetchLogs(tail == null ? 100 : tail);
                if (fetched.isPresent()) {
                    // A cluster flavor: the lines come from the API server (pods of the service); -f is not offered there.
                    if (follow) {
                        throw FlywheelException.invalid("-f follows a log file on this machine; service " + s.record().label()
                                + " runs in a cluster: use kubectl logs -f, or run this command again");
                    }
                    fetched.get().forEach(out::println);
                    out.flush();
                    return;
                }
                file = s.logFile().orElseThrow(() -> new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + s.record().uuid()
                        + " of flavor '" + s.record().flavor() + "' keeps no log on this machine"));
            }
            if (!Files.exists(file)) {
                out.println("(no log yet: " + file + ")");
                return;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                Deque<String> last = new ArrayDeque<>();
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        last.addLast(line);
                        if (tail != null && last.size() > tail) {
                            last.removeFirst();
                        }
                        if (tail == null) {
                            out.println(last.removeFirst());
                        }
                    }
                }
                last.forEach(out::println);
                out.flush();
                long position = raf.length();
                while (follow && !Thread.currentThread().isInterrupted()) {
                    if (raf.length() > position) {
                        raf.seek(position);
                        byte[] more = new byte[(int) (raf.length() - position)];
                        raf.readFully(more);
                        position += more.length;
                        out.print(new String(more, StandardCharsets.UTF_8));
                        out.flush();
                    }
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read log " + file + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The service's JSON record with what it follows and whether it serves that. */
    static com.fasterxml.jackson.databind.JsonNode json(ServiceView v) {
        return v.toJson();
    }

    /** {@code production = v3}, {@code @champion = v2}, {@code fixed}. */
    static String follows(ServiceView v) {
        if (v.follows().chars().allMatch(Character::isDigit)) {
            return "fixed";
        }
        return v.follows() + (v.expectedVersion() > 0 ? " = v" + v.expectedVersion() : " (none)");
    }

    @Command(name = "sync", footer = {"  flywheel served-models sync --model demand", "  flywheel served-models sync 5d1c"},
            description = {"Roll the registry out to services: each that follows a stage or alias switches to the version",
            "it names now (hot swap while it answers). All services of a model with --model, or one service."})
    static final class Sync implements Runnable {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Service id, prefix or name (its model is rolled out).")
        String id;
        @Option(names = "--model", paramLabel = "M", description = "Every service of this model.")
        String model;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if ((id == null) == (model == null)) {
                throw FlywheelException.invalid("Give a service ID or --model M (not " + (id == null ? "neither" : "both") + ")");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                String name = model != null ? model : flywheel.deployments().get(id).record().modelName();
                Rollout rollout = flywheel.deployments().rollOut(name, ModelsCommand.ROLLOUT_TIMEOUT);
                if (json) {
                    Json.print(out, rollout);
                    return;
                }
                ModelsCommand.printRollout(out, java.util.Optional.of(rollout), false);
            }
        }
    }

    static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
