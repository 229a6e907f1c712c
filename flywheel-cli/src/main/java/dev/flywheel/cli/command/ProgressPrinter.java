package dev.flywheel.cli.command;

import dev.flywheel.cli.render.Formats;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.StepResult;

import java.io.PrintWriter;

/** Prints one line per finished step while a run goes on (to stderr: stdout stays the command's result). */
final class ProgressPrinter implements RunListener {
    private final PrintWriter err;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void runStarted(String runId, Pipeline pipeline) {
        synchronized (err) {
            err.printf("Running %s (run %s, %d steps)%n", pipeline.name(), Formats.shortId(runId), pipeline.steps().size());
            err.flush();
        }
    }

    @Override
    public void stepFinished(String runId, StepResult r) {
        String mark = switch (r.status()) {
            case SUCCEEDED -> "done   ";
            case CACHED -> "cached ";
            case FAILED -> "FAILED ";
            case SKIPPED -> "skipped";
            case PENDING, RUNNING -> "       ";
        };
        synchronized (err) {
            err.printf("  %s %-24s %8s%s%n", mark, r.name(), Formats.duration(r.duration()),
                    r.error() == null ? "" : "  " + firstLine(r.error()));
            err.flush();
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
