package dev.flywheel.postgres.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.sql.SQLException;

/**
 * What went wrong with the PostgreSQL server, read from the SQLSTATE of the first SQL exception among the causes
 * (pools and Flyway wrap it), so the first line a user sees names the real cause and what to do.
 */
public enum PostgresProblem {
    BAD_PASSWORD, NO_ACCESS, NO_DATABASE, UNREACHABLE, LOCKED, READ_ONLY, DISK_FULL, TOO_MANY_CONNECTIONS, OTHER;

    /** The first SQLException among {@code e}'s causes that carries a SQLSTATE, or null. */
    public static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s;
            }
        }
        return null;
    }

    public static PostgresProblem of(Throwable e) {
        SQLException s = sqlCause(e);
        if (s == null) {
            return OTHER;
        }
        String state = s.getSQLState();
        return switch (state) {
            case "28P01" -> BAD_PASSWORD;
            case "28000", "42501" -> NO_ACCESS;
            case "3D000" -> NO_DATABASE;
            case "55P03", "40P01" -> LOCKED;
            case "25006" -> READ_ONLY;
            case "53100" -> DISK_FULL;
            case "53300" -> TOO_MANY_CONNECTIONS;
            default -> state.startsWith("08") ? UNREACHABLE : OTHER;
        };
    }

    /**
     * The exception to throw for {@code e}: UNAVAILABLE naming the server (never the password), the cause and what to
     * do.
     *
     * @param where the server and database as people read them: {@code postgresql://db.example.com:5432/flywheel}
     * @param user  the user connecting
     */
    public static FlywheelException failure(String where, String user, Throwable e) {
        SQLException s = sqlCause(e);
        String detail = s == null ? String.valueOf(e.getMessage()) : s.getMessage() + " [SQLSTATE " + s.getSQLState() + "]";
        String message = switch (of(e)) {
            case BAD_PASSWORD -> "PostgreSQL at " + where + " refused the password of user '" + user + "'. Check the password"
                    + " the project refers to (the environment variable named by --db-password-env, or its secret) and the user";
            case NO_ACCESS -> "PostgreSQL at " + where + " does not let user '" + user + "' in (" + detail + "). Grant it"
                    + " access (pg_hba.conf, GRANT ... ON DATABASE), or connect as another user (--db-user)";
            case NO_DATABASE -> "The database of " + where + " does not exist (" + detail + "). Create it first (createdb, or"
                    + " CREATE DATABASE), owned by or writable for user '" + user + "'";
            case UNREACHABLE -> "Cannot reach PostgreSQL at " + where + " (" + detail + "). Check the host and port of the"
                    + " metadata URL, that the server is running, and that this machine may connect to it";
            case LOCKED -> "The metadata store " + where + " stayed locked by another writer (" + detail + "); retry when"
                    + " the other command has finished";
            case READ_ONLY -> "The metadata store " + where + " is read-only (" + detail + "): the server or the database"
                    + " refuses writes (a standby, or default_transaction_read_only). Read commands still work";
            case DISK_FULL -> "The PostgreSQL server of " + where + " is out of disk space (" + detail + "). Nothing was"
                    + " half-written (the transaction was rolled back); free space on the server and retry";
            case TOO_MANY_CONNECTIONS -> "PostgreSQL at " + where + " has no free connection (" + detail + "). Raise"
                    + " max_connections on the server, or lower poolSize of the project's metadata store";
            case OTHER -> "Metadata store " + where + " failed: " + detail;
        };
        return new FlywheelException(ErrorCode.UNAVAILABLE, message, e);
    }
}
