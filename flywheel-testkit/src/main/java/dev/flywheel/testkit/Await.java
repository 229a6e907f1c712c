package dev.flywheel.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline, checking every 20 ms: tests poll for state instead of sleeping blindly. */
public final class Await {
    private Await() {
    }

    /** A condition to wait for; it may throw (a failed HTTP call, a command that exits non-zero), which fails the wait. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it does not hold within {@code timeout}, or when checking it throws
     */
    public static void until(Duration timeout, String what, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check(what, condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static boolean check(String what, Condition condition) {
        try {
            return condition.holds();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("Checking failed while waiting for: " + what, e);
        }
    }
}
