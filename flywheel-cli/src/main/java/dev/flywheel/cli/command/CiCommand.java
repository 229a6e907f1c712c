package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Json;
import dev.flywheel.runtime.CiInit;
import dev.flywheel.runtime.Flywheel;
import dev.flywheel.runtime.StackPromotion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "ci",
        footer = {"  flywheel ci init github --pipeline demand_cd", "  flywheel ci release --report flywheel-report/report.json --deploy"},
        description = "Continuous integration: workflow files for pull requests and main, and the release of what a staging run's gate accepted.",
        subcommands = {CiCommand.Init.class, CiCommand.Release.class})
public final class CiCommand {

    @Command(name = "init",
            footer = {"  flywheel ci init github --pipeline demand_cd",
                    "  flywheel ci init gitlab --pipeline demand_cd --production-stack prod --force"},
            description = {"Write the CI workflow into this repository: .github/workflows/flywheel.yml (github) or .gitlab-ci.yml (gitlab),",
                    "plus ci/flywheel-ci.sh, the entry point for any other CI system. Pull requests get a staging run judged against",
                    "production and its report as a comment; merges release the accepted version to production. Secrets are named, never written."})
    static final class Init implements Runnable {
        @Parameters(index = "0", paramLabel = "PLATFORM", description = "github or gitlab.")
        String platform;
        @Option(names = "--pipeline", required = true, paramLabel = "NAME", description = "The pipeline CI runs (see: flywheel pipelines list).")
        String pipeline;
        @Option(names = "--staging-stack", defaultValue = "staging", paramLabel = "STACK", description = "Pull requests run here (default: ${DEFAULT-VALUE}).")
        String staging;
        @Option(names = "--production-stack", defaultValue = "production", paramLabel = "STACK",
                description = "Merges release here; pull requests are judged against its production version (default: ${DEFAULT-VALUE}).")
        String production;
        @Option(names = "--branch", defaultValue = "main", paramLabel = "BRANCH", description = "The branch that deploys (default: ${DEFAULT-VALUE}).")
        String branch;
        @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR", description = "The repository's folder (default: the current one).")
        Path dir;
        @Option(names = "--force", description = "Replace files that exist with other content.")
        boolean force;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            CiInit.Result r = CiInit.write(dir, CiInit.Platform.parse(platform), new CiInit.Settings(pipeline, staging, production, branch), force);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Json.print(out, r);
                return;
            }
            r.written().forEach(f -> out.println("wrote     " + f));
            r.unchanged().forEach(f -> out.println("unchanged " + f));
            out.println("Next: register the stacks '" + staging + "' and '" + production + "' (each with its own metadata and artifact"
                    + " store), commit these files, and set the secrets the workflow names. See docs/ci-cd.md.");
            out.flush();
        }
    }

    @Command(name = "release",
            footer = {"  flywheel ci release --report flywheel-report/report.json --deploy"},
            description = {"Release the version a staging run's gate accepted: copy it to the report's baseline stack (checked by",
                    "sha256), make it production there and roll it out. Exits 20 when the report's gate rejected."})
    static final class Release implements Runnable {
        @Option(names = "--report", required = true, paramLabel = "FILE", description = "The JSON report of: flywheel run ... --report-json FILE.")
        Path report;
        @Option(names = "--deploy", description = "Start a server on the target stack when none serves the model yet.")
        boolean deploy;
        @Option(names = "--actor", paramLabel = "WHO", description = "Recorded in the stage history (default: the OS user).")
        String actor;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (Flywheel flywheel = Project.existing(spec)) {
                StackPromotion.Result r = flywheel.release(report, deploy, ModelsCommand.actor(actor), ModelsCommand.ROLLOUT_TIMEOUT);
                print(spec.commandLine().getOut(), r, json);
            }
        }
    }

    /** What a promotion across stacks did, as text or JSON ({@code ci release}, {@code models promote --to-stack}). */
    static void print(PrintWriter out, StackPromotion.Result r, boolean json) {
        if (json) {
            Json.print(out, r);
            return;
        }
        out.println("Model " + r.model() + " version " + r.version() + (r.copied() ? " copied from stack " + r.fromStack() + " to "
                : " already on stack ") + r.toStack() + (r.copied() ? " (files checked by sha256)" : " with the same file")
                + "; it is " + r.stage() + " there.");
        r.rollout().forEach(line -> out.println("  " + line));
        if (r.service() != null) {
            out.println("Served on " + r.toStack() + " by " + r.service() + (r.predictionUrl() == null ? "" : " at " + r.predictionUrl()));
        }
        out.flush();
    }
}
