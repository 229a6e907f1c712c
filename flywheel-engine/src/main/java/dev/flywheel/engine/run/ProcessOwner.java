package dev.flywheel.engine.run;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who owns a run: this host and process. A run whose owner is gone is marked failed rather than left "running". */
public final class ProcessOwner {
    private static final String HOST = resolveHost();

    private ProcessOwner() {
    }

    public static String host() {
        return HOST;
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
