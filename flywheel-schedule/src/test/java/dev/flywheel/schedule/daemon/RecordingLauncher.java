package dev.flywheel.schedule.daemon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A launcher for driven-clock tests: records what the scheduler launches and lets the test end each "run" when
 * it wants (real child processes are exercised in the CLI's daemon tests). Pids are far above real ones.
 */
final class RecordingLauncher implements RunLauncher {
    private static final AtomicLong PIDS = new AtomicLong(4_000_000_000L);

    final List<Child> launched = Collections.synchronizedList(new ArrayList<>());

    static final class Child implements Launched {
        final Request request;
        final long pid = PIDS.incrementAndGet();
        volatile boolean alive = true;
        volatile int exit = -1;
        private Runnable onExit = () -> {
        };

        Child(Request request) {
            this.request = request;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public OptionalInt exitCode() {
            return alive ? OptionalInt.empty() : OptionalInt.of(exit);
        }

        @Override
        public synchronized void onExit(Runnable action) {
            onExit = action;
        }

        synchronized void end(int code) {
            exit = code;
            alive = false;
            onExit.run();
        }
    }

    @Override
    public Launched launch(Request request) {
        Child c = new Child(request);
        launched.add(c);
        return c;
    }

    List<String> triggers() {
        synchronized (launched) {
            return launched.stream().map(c -> c.request.trigger()).toList();
        }
    }

    void endAll() {
        synchronized (launched) {
            launched.stream().filter(c -> c.alive).forEach(c -> c.end(0));
        }
    }

    long running() {
        synchronized (launched) {
            return launched.stream().filter(c -> c.alive).count();
        }
    }
}
