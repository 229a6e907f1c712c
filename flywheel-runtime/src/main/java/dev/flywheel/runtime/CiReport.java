package dev.flywheel.runtime;

import dev.flywheel.cd.ConditionResult;
import dev.flywheel.monitor.DriftReport;
import dev.flywheel.sdk.RunStatus;
import dev.flywheel.sdk.SourceVersion;

import java.util.List;
import java.util.Map;

/**
 * What a CI system posts on a pull request after a staging run ({@code flywheel run P --stack staging --report
 * report.md --report-json report.json}): the code version, the data checks, drift against production's training data,
 * the new version beside production's on the same evaluation data, the gate's decision with its numbers, and what a
 * merge would deploy. Built by {@link Flywheel#ciReport}; {@link CiReportMarkdown} renders it for a comment.
 *
 * @param outcome     what CI should do: {@code PASSED} (exit 0), {@code REJECTED} (the gate said no: exit 14),
 *                    {@code FAILED} (the run failed: exit 6), {@code NO_GATE} (the pipeline has no gate: exit 0)
 * @param stack       the stack the run ran on
 * @param baseline    the stack whose production version the run was judged against (null: its own stack's)
 * @param validation  every data-validation step of the run (a step whose name or class names validation)
 * @param drift       the evaluation data against the production version's training data
 * @param gate        the gate's decision with both sides' numbers, or null when the pipeline has no gate
 * @param deployment  what a merge would deploy, where and how
 * @param dashboardUrl the run's page on the project's dashboard, or null when no server is known
 */
public record CiReport(Outcome outcome, String runId, String pipeline, String stack, String baseline, RunStatus status,
                       String error, SourceVersion code, List<Check> validation, Drift drift, Gate gate, Plan deployment,
                       String dashboardUrl) {
    public CiReport {
        validation = List.copyOf(validation);
    }

    /** What CI should do with the pull request. */
    public enum Outcome { PASSED, REJECTED, FAILED, NO_GATE }

    /** One validation step: its status, why it failed, and what it recorded (rows, ranges, ...). */
    public record Check(String step, String status, String error, Map<String, Object> details) {
        public Check {
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }

    /**
     * Drift of the run's evaluation data against the training data of the version it was compared with.
     *
     * @param reference what the reference is ({@code train_xgboost.history of production v3}), or null
     * @param report    the comparison, or null when there is no reference (then {@code note} says why)
     */
    public record Drift(String reference, DriftReport report, String note) {
        static Drift absent(String why) {
            return new Drift(null, null, why);
        }
    }

    /**
     * The gate's decision, with the registry's recorded metrics of both versions beside the numbers it computed on
     * the same evaluation data.
     */
    public record Gate(String model, boolean accepted, String reason, int candidateVersion, int baselineVersion,
                       String baselineSource, List<ConditionResult> conditions, Map<String, Double> candidateMetrics,
                       Map<String, Double> baselineMetrics, String stagingService) {
        public Gate {
            conditions = List.copyOf(conditions);
            candidateMetrics = Map.copyOf(candidateMetrics);
            baselineMetrics = Map.copyOf(baselineMetrics);
        }
    }

    /**
     * What a merge deploys.
     *
     * @param deploys    whether anything would be deployed (the gate accepted)
     * @param stack      the stack it goes to
     * @param deployer   that stack's model deployer (name and flavor)
     * @param settings   the deployer's settings, secrets masked
     * @param how        {@code full swap} or {@code canary N%}, in a sentence
     * @param command    the command that does it
     */
    public record Plan(boolean deploys, String model, int version, String stack, String deployer, Map<String, String> settings,
                       String how, String command) {
        public Plan {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }
}
