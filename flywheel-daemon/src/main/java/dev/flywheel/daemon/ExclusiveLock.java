package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a file, held by one thread of one process at a time; re-entrant for the thread that holds
 * it. Released by {@link #close()}, or by the operating system when the process dies, so a killed holder never
 * leaves it locked.
 *
 * <pre>{@code
 * try (ExclusiveLock ignored = folder.lock(".deploy.lock")) { ... }
 * }</pre>
 */
public final class ExclusiveLock implements AutoCloseable {
    /**
     * Operating-system file locks belong to a process, not to a thread: a second {@code FileChannel.lock} on the same
     * file in the same JVM throws {@code OverlappingFileLockException} instead of waiting. So threads (and separate
     * Flywheel handles) of one JVM take turns on one in-memory lock per file first, and only its holder takes the
     * file lock. This map is process-wide because the file lock is; it holds one small entry per lock file used.
     */
    private static final ConcurrentHashMap<Path, Entry> LOCKS = new ConcurrentHashMap<>();

    private final Entry entry;
    private boolean closed;

    private ExclusiveLock(Entry entry) {
        this.entry = entry;
    }

    /** Waits until this thread holds the lock on {@code file} (created owner-only if missing). */
    public static ExclusiveLock acquire(Path file) {
        Path key = file.toAbsolutePath().normalize();
        Entry entry = LOCKS.computeIfAbsent(key, Entry::new);
        entry.turn.lock();
        if (entry.turn.getHoldCount() == 1) {
            try {
                entry.lockFile();
            } catch (RuntimeException e) {
                entry.turn.unlock();
                throw e;
            }
        }
        return new ExclusiveLock(entry);
    }

    /** Releases this hold; the file lock goes with the thread's last hold. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (entry.turn.getHoldCount() == 1) {
                entry.unlockFile();
            }
        } finally {
            entry.turn.unlock();
        }
    }

    private static final class Entry {
        private final Path file;
        private final ReentrantLock turn = new ReentrantLock();
        private FileChannel channel;

        Entry(Path file) {
            this.file = file;
        }

        void lockFile() {
            try {
                PrivateFiles.createDirectories(file.getParent());
                PrivateFiles.createFile(file);
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
                try {
                    FileLock held = channel.lock();
                    assert held.isValid();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    channel = null;
                    throw e;
                }
            } catch (IOException e) {
                throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot lock " + file + ": " + e.getMessage());
            }
        }

        void unlockFile() {
            try {
                if (channel != null) {
                    channel.close(); // releases the file lock with it
                }
            } catch (IOException e) {
                // the lock goes with the channel or with the process; nothing is left to undo
            } finally {
                channel = null;
            }
        }
    }
}
