package dev.flywheel.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Duration;

/**
 * Ends a daemon whose folder was removed. A daemon's folder is how every other process finds it; once it is gone
 * (its project or service was deleted, a test's temporary folder was cleaned up) nothing can reach, stop or adopt the
 * daemon any more, so it stops itself instead of running on unseen.
 */
public final class FolderGuard {
    private static final Logger log = LoggerFactory.getLogger(FolderGuard.class);

    private FolderGuard() {
    }

    /**
     * Starts a daemon thread that checks every {@code interval} that {@code folder} exists and, when it does not, logs
     * why and calls {@code System.exit(exitCode)} (so the daemon's shutdown hooks stop its children).
     */
    public static Thread watch(DaemonFolder folder, Duration interval, int exitCode) {
        return Thread.ofPlatform().daemon().name("folder-guard").start(() -> {
            while (true) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                if (!Files.isDirectory(folder.dir())) {
                    log.warn("the daemon folder {} was removed: nothing can reach this daemon any more, so it stops", folder.dir());
                    System.exit(exitCode);
                }
            }
        });
    }
}
