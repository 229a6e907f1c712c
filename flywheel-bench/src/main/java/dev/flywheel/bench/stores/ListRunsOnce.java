package dev.flywheel.bench.stores;

import dev.flywheel.runtime.Flywheel;

import java.nio.file.Path;

/**
 * What {@code flywheel runs list} does on a cold JVM, without the rendering: open the project (its metadata store,
 * SQLite or PostgreSQL) and read the newest page of 50 runs. Prints the milliseconds from JVM start to the page.
 * Usage: {@code ListRunsOnce HOME}.
 */
public final class ListRunsOnce {
    private ListRunsOnce() {
    }

    public static void main(String[] args) {
        try (Flywheel flywheel = Flywheel.create(cfg -> {
            cfg.home = Path.of(args[0]);
            cfg.createIfMissing = false;
        })) {
            int n = flywheel.runs().list(null, 50).size();
            long ms = System.currentTimeMillis() - ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
            System.out.println(ms + " " + n);
        }
    }
}
