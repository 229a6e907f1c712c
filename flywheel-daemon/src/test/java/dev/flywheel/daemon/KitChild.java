package dev.flywheel.daemon;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A process for the kit's tests: {@code lock FILE} takes the lock, prints {@code locked} and holds it until its
 * standard input closes; {@code guard DIR} guards the folder and waits.
 */
public final class KitChild {
    private KitChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "lock" -> {
                try (ExclusiveLock ignored = ExclusiveLock.acquire(Path.of(args[1]))) {
                    System.out.println("locked");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // hold the lock until the parent closes our input
                    }
                }
            }
            case "guard" -> {
                FolderGuard.watch(new DaemonFolder(Path.of(args[1])), Duration.ofMillis(100), 8);
                System.out.println("guarding");
                System.out.flush();
                Thread.sleep(Duration.ofMinutes(10));
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
