package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.cli.render.Json;
import dev.flywheel.deploy.rollout.CheckResult;
import dev.flywheel.deploy.rollout.RolloutRecord;
import dev.flywheel.deploy.rollout.Rollouts;
import dev.flywheel.deploy.rollout.StepDecision;
import dev.flywheel.runtime.Flywheel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code flywheel rollouts list | status ID | promote ID | abort ID | pause ID | resume ID}. */
@Command(name = "rollouts",
        footer = {"  flywheel rollouts list", "  flywheel rollouts status 3f2a", "  flywheel rollouts abort 3f2a"},
        description = "Canary and shadow rollouts started by: flywheel models deploy NAME VERSION --canary 10,50,100 | --shadow.",
        subcommands = {RolloutsCommand.ListRollouts.class, RolloutsCommand.Status.class, RolloutsCommand.Promote.class,
                RolloutsCommand.Abort.class, RolloutsCommand.Pause.class, RolloutsCommand.Resume.class})
public final class RolloutsCommand {

    @Command(name = "list", footer = {"  flywheel rollouts list", "  flywheel rollouts list --json"},
            description = "Every rollout, newest first.")
    static final class ListRollouts implements Runnable {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.of("No rollouts. Start one with: flywheel models deploy NAME VERSION --canary 10,50,100 --step-duration 30s",
                            "ROLLOUT", "MODEL", "STRATEGY", "CHAMPION", "CHALLENGER", "WEIGHT", "STATE", "STARTED", "REASON")
                    .row((RolloutRecord r) -> new Object[]{r.shortId(), r.modelName(), r.plan().strategy().label(), r.championVersion(),
                            r.challengerVersion(), r.weight() + "%", r.state().label(), Formats.time(r.createdAt()),
                            r.reason() == null ? "-" : r.reason()})
                    .json(RolloutView::of)
                    .print(spec, json, flywheel -> flywheel.rollouts().list());
        }
    }

    /** A command on one rollout: parse its id, call one facade method, print the rollout as it stands after. */
    abstract static class OnOne implements Runnable {
        @Parameters(index = "0", paramLabel = "ID", description = "Rollout id or a unique prefix of it.")
        String id;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        abstract RolloutRecord call(Rollouts rollouts, String rollout);

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Flywheel flywheel = Project.existing(spec)) {
                print(out, json, call(flywheel.rollouts(), id));
            }
        }
    }

    @Command(name = "status", footer = {"  flywheel rollouts status 3f2a", "  flywheel rollouts status 3f2a --json"},
            description = "A rollout's plan, where it is, and every decision with its numbers.")
    static final class Status extends OnOne {
        @Override
        RolloutRecord call(Rollouts rollouts, String rollout) {
            return rollouts.status(rollout);
        }
    }

    @Command(name = "promote", footer = {"  flywheel rollouts promote 3f2a"},
            description = "Make the challenger the only version now (one switch); the registry's production stage moves to it.")
    static final class Promote extends OnOne {
        @Override
        RolloutRecord call(Rollouts rollouts, String rollout) {
            return rollouts.promote(rollout);
        }
    }

    @Command(name = "abort", footer = {"  flywheel rollouts abort 3f2a"},
            description = "Send all traffic back to the champion now (one switch); the challenger's version is marked.")
    static final class Abort extends OnOne {
        @Override
        RolloutRecord call(Rollouts rollouts, String rollout) {
            return rollouts.abort(rollout);
        }
    }

    @Command(name = "pause", footer = {"  flywheel rollouts pause 3f2a"}, description = "Hold the current weight; no analysis until resumed.")
    static final class Pause extends OnOne {
        @Override
        RolloutRecord call(Rollouts rollouts, String rollout) {
            return rollouts.pause(rollout);
        }
    }

    @Command(name = "resume", footer = {"  flywheel rollouts resume 3f2a"},
            description = "Analyse again, from a fresh interval at the current step (after a pause or an inconclusive analysis).")
    static final class Resume extends OnOne {
        @Override
        RolloutRecord call(Rollouts rollouts, String rollout) {
            return rollouts.resume(rollout);
        }
    }

    static void print(PrintWriter out, boolean json, RolloutRecord r) {
        if (json) {
            Json.print(out, RolloutView.of(r));
            return;
        }
        out.println("Rollout:    " + r.id());
        out.println("Model:      " + r.modelName() + ", service " + r.service());
        out.println("Split:      " + RolloutView.split(r));
        out.println("Steps:      " + String.join(" -> ", r.plan().steps().stream().map(s -> s.weight() + "% for " + Durations.format(s.pause())).toList()));
        out.println("Analysis:   every " + Durations.format(r.plan().analysis().interval()) + ", error rate <= " + r.plan().analysis().maxErrorRate() * 100 + "%"
                + (r.plan().analysis().maxP99() == null ? "" : ", p99 <= " + Durations.format(r.plan().analysis().maxP99()))
                + (r.plan().analysis().maxPredictionDrift() == null ? "" : ", prediction drift <= " + r.plan().analysis().maxPredictionDrift())
                + ", " + r.plan().analysis().minSamples() + " samples at least, failure limit " + r.plan().analysis().failureLimit());
        if (r.reason() != null) {
            out.println("Reason:     " + r.reason());
        }
        out.println("Decisions:");
        for (StepDecision d : r.decisions()) {
            out.println("  " + Formats.time(d.at()) + "  " + d.weight() + "%  " + d.action()
                    + (d.checks().isEmpty() ? "" : "  [" + String.join("; ", d.checks().stream().map(CheckResult::describe).toList()) + "]"));
        }
        out.flush();
    }
}
