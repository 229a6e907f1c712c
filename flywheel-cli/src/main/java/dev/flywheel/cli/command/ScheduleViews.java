package dev.flywheel.cli.command;

import dev.flywheel.schedule.Broken;
import dev.flywheel.schedule.Listed;
import dev.flywheel.schedule.SourceViews;
import dev.flywheel.schedule.UnreadableSource;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/** How {@code schedules} and {@code triggers} print their problems; their JSON shapes are {@link SourceViews}. */
final class ScheduleViews {
    private ScheduleViews() {
    }

    /** After a table: one line per broken or unreadable entry, with what to do. */
    static <T> void printProblems(PrintWriter out, String kind, List<Listed<T>> lines, Function<T, String> id, Function<T, Broken> broken) {
        for (Listed<T> line : lines) {
            if (line instanceof Listed.Readable<T>(T value) && broken.apply(value) != null) {
                String at = id.apply(value);
                out.println();
                out.println("Broken " + kind + " " + at + " (skipped by the scheduler): " + broken.apply(value).reason());
                out.println("  fix it with: flywheel " + kind + "s " + (kind.equals("schedule") ? "update " + at + " ..." : "resume " + at)
                        + ", or remove it: flywheel " + kind + "s delete " + at);
            }
        }
        for (Listed<T> line : lines) {
            if (line instanceof Listed.Unreadable<T>(UnreadableSource u)) {
                out.println();
                out.println("Unreadable " + kind + " " + u.id() + " of " + u.pipeline() + " (never fires): " + u.reason());
                out.println("  remove it with: flywheel " + kind + "s delete " + u.id());
            }
        }
    }
}
