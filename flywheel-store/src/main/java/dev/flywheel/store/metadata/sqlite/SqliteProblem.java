package dev.flywheel.store.metadata.sqlite;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What went wrong with the SQLite file, read from SQLite's result code, so the first line a user sees names the
 * real cause (corrupt, read-only, disk full) instead of a connection-pool timeout.
 */
enum SqliteProblem {
    CORRUPT, READ_ONLY, DISK_FULL, LOCKED, CANNOT_OPEN, OTHER;

    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;
    /** Less free space than this on the store's disk makes an I/O error a full disk: SQLite needs 32 KiB to open. */
    private static final long NEARLY_FULL_BYTES = 1 << 20;

    /** The SQLite exception somewhere in {@code e}'s causes (pools and Flyway wrap it), or null. */
    static SQLiteException sqliteCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * Classifies {@code e}. SQLite reports a full disk as SQLITE_FULL when a page write fails, but as a plain I/O error
     * when it cannot size its shared-memory file; so an I/O error on a disk with (almost) no space left is a full disk.
     */
    static SqliteProblem of(Throwable e, Path file) {
        SQLiteException s = sqliteCause(e);
        if (s == null) {
            return OTHER;
        }
        return switch (s.getResultCode().code & 0xff) {
            case SQLITE_CORRUPT, SQLITE_NOTADB -> CORRUPT;
            case SQLITE_READONLY -> READ_ONLY;
            case SQLITE_FULL -> DISK_FULL;
            case SQLITE_BUSY, SQLITE_LOCKED -> LOCKED;
            case SQLITE_CANTOPEN -> diskFull(file) ? DISK_FULL : CANNOT_OPEN;
            case SQLITE_IOERR -> diskFull(file) ? DISK_FULL : OTHER;
            default -> OTHER;
        };
    }

    private static boolean diskFull(Path file) {
        try {
            return Files.getFileStore(file.toAbsolutePath().getParent()).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * SQLite's own words: sqlite-jdbc writes {@code [SQLITE_CORRUPT] The database disk image is malformed (database
     * disk image is malformed)}; the part in parentheses is what SQLite said, with the code in front.
     */
    private static String detail(Throwable e) {
        SQLiteException s = sqliteCause(e);
        if (s == null) {
            return e.getMessage();
        }
        String m = s.getMessage() == null ? "" : s.getMessage();
        int open = m.indexOf(" (");
        String said = open >= 0 && m.endsWith(")") ? m.substring(open + 2, m.length() - 1) : m;
        return "SQLite: " + said;
    }

    /** The exception to throw for {@code e}, naming the file, the cause and what to do. */
    static FlywheelException failure(Path file, Throwable e) {
        String detail = detail(e);
        String db = file.toString();
        Path folder = file.toAbsolutePath().getParent();
        String message = switch (of(e, file)) {
            case CORRUPT -> "The metadata store " + db + " is corrupt (" + detail + "). Restore it from a backup; or move it"
                    + " aside (mv " + db + " " + db + ".corrupt) and start an empty project with: flywheel init"
                    + " (artifact blobs are kept, their records are lost)";
            case READ_ONLY -> "The metadata store " + db + " is read-only and this command needs to write (" + detail + ")."
                    + " Read commands (list, describe) still work; to change the project, make " + folder + " and its files writable";
            case DISK_FULL -> "The disk holding the metadata store " + db + " is full (" + detail + "). Nothing was"
                    + " half-written (the transaction was rolled back); free space on that disk and retry";
            case LOCKED -> "The metadata store " + db + " stayed locked by another process for "
                    + SqliteMetadataStore.BUSY_TIMEOUT_MS / 1000 + " s (" + detail + "); retry when the other command has finished";
            case CANNOT_OPEN -> "Cannot open the metadata store " + db + " (" + detail + "); check that the file and "
                    + folder + " exist and are readable and writable by you";
            case OTHER -> "Metadata store " + db + " failed: " + detail;
        };
        return new FlywheelException(ErrorCode.UNAVAILABLE, message, e);
    }
}
