package dev.flywheel.deploy.rollout;

import dev.flywheel.serving.api.RoleStats;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;

import java.util.ArrayList;
import java.util.List;

/**
 * One analysis: the checks of an {@link AnalysisConfig} over one interval's traffic (the difference of two server
 * reports). Pure: the same numbers give the same verdict. Any failed check fails the analysis; otherwise any
 * inconclusive one (too few samples) makes it inconclusive.
 */
public final class Analysis {
    private Analysis() {
    }

    /** The verdict and every check's numbers. */
    public record Result(Verdict verdict, List<CheckResult> checks) {
        public String describe() {
            return String.join("; ", checks.stream().map(CheckResult::describe).toList());
        }
    }

    public static Result run(AnalysisConfig config, TrafficReport window) {
        List<CheckResult> checks = new ArrayList<>();
        RoleStats challenger = window.challenger();
        long requests = challenger == null ? 0 : challenger.requests();
        checks.add(check("error_rate", challenger == null ? Double.NaN : challenger.errorRate(), config.maxErrorRate(), requests, config.minSamples()));
        if (config.maxP99() != null) {
            double p99Ms = challenger == null || requests == 0 ? Double.NaN : challenger.latencyQuantileNanos(0.99) / 1e6;
            checks.add(check("p99_ms", p99Ms, config.maxP99().toNanos() / 1e6, requests, config.minSamples()));
        }
        if (config.maxPredictionDrift() != null) {
            checks.add(drift(config, window));
        }
        Verdict verdict = Verdict.PASS;
        for (CheckResult c : checks) {
            if (c.verdict() == Verdict.FAIL) {
                verdict = Verdict.FAIL;
            } else if (c.verdict() == Verdict.INCONCLUSIVE && verdict == Verdict.PASS) {
                verdict = Verdict.INCONCLUSIVE;
            }
        }
        return new Result(verdict, checks);
    }

    /**
     * Shadow: the answers to the same requests, mean |challenger - champion| / mean |champion|. Canary: the same
     * interval's mean answers, |mean challenger - mean champion| / champion's standard deviation.
     */
    private static CheckResult drift(AnalysisConfig config, TrafficReport window) {
        if (window.mode() == TrafficMode.SHADOW) {
            return check("prediction_drift", window.shadow().relativeDifference(), config.maxPredictionDrift(), window.shadow().compared(),
                    config.minSamples());
        }
        RoleStats champion = window.champion();
        RoleStats challenger = window.challenger();
        long samples = challenger == null ? 0 : Math.min(challenger.outputs(), champion.outputs());
        double value = Double.NaN;
        if (samples > 0) {
            double std = champion.outputStd();
            double diff = Math.abs(challenger.outputMean() - champion.outputMean());
            value = std > 0 ? diff / std : diff == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return check("prediction_drift", value, config.maxPredictionDrift(), samples, config.minSamples());
    }

    private static CheckResult check(String name, double value, double threshold, long samples, long minSamples) {
        Verdict v = samples < minSamples || Double.isNaN(value) ? Verdict.INCONCLUSIVE : value > threshold ? Verdict.FAIL : Verdict.PASS;
        return new CheckResult(name, value, threshold, samples, v);
    }
}
