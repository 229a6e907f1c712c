package dev.flywheel.engine.run;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/** Who owns a run: this host and process. A run whose owner is gone is marked failed rather than left "running". */
public final class ProcessOwner {
    private static final String HOST = resolveHost();
    private static final Instant STARTED_AT = ProcessHandle.current().info().startInstant().orElse(null);
    private static final long SAME_START_MILLIS = 1000;

    private ProcessOwner() {
    }

    public static String host() {
        return HOST;
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** When this process started, as the operating system reports it (null where it does not). */
    public static Instant startedAt() {
        return STARTED_AT;
    }

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether process {@code pid} still runs and is the one that started at {@code startedAt}: after a crash the
     * system may give the pid to an unrelated process, which must not keep a dead run "running". Both instants come
     * from the same operating-system record, so they agree to the millisecond; a second of slack covers rounding.
     * A null {@code startedAt} (runs recorded before it was kept) checks the pid alone.
     */
    public static boolean isAlive(long pid, Instant startedAt) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty() || startedAt == null) {
            return p.isPresent();
        }
        return p.get().info().startInstant()
                .map(actual -> Math.abs(actual.toEpochMilli() - startedAt.toEpochMilli()) <= SAME_START_MILLIS)
                .orElse(true);
    }

    private static String resolveHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
