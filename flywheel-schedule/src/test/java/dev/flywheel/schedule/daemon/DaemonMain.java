package dev.flywheel.schedule.daemon;

import dev.flywheel.store.metadata.MetadataStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The scheduler daemon as a test process: {@code DaemonMain DIR WEBHOOK_PORT [fail]} runs a scheduler over
 * {@code DIR/flywheel.db} as the daemon of {@code DIR/scheduler} (what {@code flywheel scheduler run --daemon} does);
 * with {@code fail} its scheduler cannot be built, as when the store is broken.
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SchedulerDaemon daemon = new SchedulerDaemon(dir.resolve("scheduler"), Clock.systemUTC());
        MetadataStore store = MetadataStore.openSqlite(dir.resolve("flywheel.db"));
        SchedulerConfig config = SchedulerConfig.defaults(daemon.dir()).withWebhookPort(Integer.parseInt(args[1]))
                .withPollInterval(Duration.ofMillis(100));
        try {
            daemon.run(() -> {
                if (args.length > 2) {
                    throw new IllegalStateException("error: the store cannot be opened (a test's failure)");
                }
                return new Scheduler(store, Clock.systemUTC(), new RecordingLauncher(), config);
            }, true, store::close);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(7);
        }
    }
}
