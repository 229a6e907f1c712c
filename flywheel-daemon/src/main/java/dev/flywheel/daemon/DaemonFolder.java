package dev.flywheel.daemon;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The folder a local daemon keeps its state in ({@code .flywheel/scheduler/}, {@code .flywheel/services/<uuid>/}):
 * pid files, small state files, logs and locks. Owner-only: the folder is {@code 0700} and every file this class
 * creates {@code 0600}, whatever the umask, because daemons keep tokens and ports there. Every state file is written
 * to a temporary name and renamed, so a reader in another process never sees half of it.
 */
public record DaemonFolder(Path dir) {
    public DaemonFolder {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The folder, created (owner-only) with its missing parents. */
    public static DaemonFolder create(Path dir) {
        try {
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the daemon folder " + dir.toAbsolutePath() + ": "
                    + e.getMessage() + "; check the permissions of " + dir.toAbsolutePath().getParent());
        }
        return new DaemonFolder(dir);
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public PidFile pidFile(String name) {
        return new PidFile(file(name));
    }

    /** A log file of this folder, created empty and owner-only when missing (daemons append to it). */
    public Path log(String name) {
        Path log = file(name);
        try {
            PrivateFiles.createDirectories(dir);
            PrivateFiles.createFile(log);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the log file " + log + ": " + e.getMessage());
        }
        return log;
    }

    /** The file's text, or empty when there is no such file. */
    public Optional<String> read(String name) {
        return read(file(name));
    }

    /** The file's content as a non-negative number, or 0 when it is missing or not a number (yet). */
    public long readLong(String name) {
        return read(name).map(String::strip).filter(s -> s.matches("\\d{1,18}")).map(Long::parseLong).orElse(0L);
    }

    /** Writes the file through a temporary name and a rename; owner-only. */
    public void write(String name, String content) {
        writeAtomically(file(name), content);
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot remove " + file(name) + ": " + e.getMessage());
        }
    }

    /** An exclusive lock on {@code name} in this folder, across the threads of this process and other processes. */
    public ExclusiveLock lock(String name) {
        return ExclusiveLock.acquire(file(name));
    }

    /** The file's text, or empty when there is no such file. */
    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code file} owner-only through a temporary file in the same folder and an atomic rename: a reader sees the
     * old content or the new, never a part.
     */
    public static void writeAtomically(Path file, String content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            try {
                tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
            } catch (UnsupportedOperationException notPosix) {
                tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            }
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; that is the error to report
                }
            }
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + file + ": " + e.getMessage()
                    + "; check the disk space and the permissions of " + dir);
        }
    }
}
