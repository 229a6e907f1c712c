package dev.flywheel.cli.command;

import dev.flywheel.schedule.SourceViews;
import dev.flywheel.schedule.UnreadableSource;

import java.util.List;

/** How {@code schedules} and {@code triggers} print their problems; their JSON shapes are {@link SourceViews}. */
final class ScheduleViews {
    private ScheduleViews() {
    }

    /** After a table: one line per broken or unreadable entry, with what to do. */
    static void printProblems(java.io.PrintWriter out, String kind, List<String[]> brokenIdAndReason, List<UnreadableSource> unreadable) {
        for (String[] b : brokenIdAndReason) {
            out.println();
            out.println("Broken " + kind + " " + b[0] + " (skipped by the scheduler): " + b[1]);
            out.println("  fix it with: flywheel " + kind + "s " + (kind.equals("schedule") ? "update " + b[0] + " ..." : "resume " + b[0])
                    + ", or remove it: flywheel " + kind + "s delete " + b[0]);
        }
        for (UnreadableSource u : unreadable) {
            out.println();
            out.println("Unreadable " + kind + " " + u.id() + " of " + u.pipeline() + " (never fires): " + u.reason());
            out.println("  remove it with: flywheel " + kind + "s delete " + u.id());
        }
    }
}
