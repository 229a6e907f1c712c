package dev.flywheel.postgres;

import dev.flywheel.sdk.FlywheelException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a project's PostgreSQL database.
 *
 * @param url            {@code jdbc:postgresql://HOST[:PORT]/DATABASE[?param=value...]} (PostgreSQL 13 or newer)
 * @param user           the user to connect as
 * @param password       its password (resolved from an environment variable or a secret; never stored here in
 *                       plain text), or null for a server that asks none (trust, peer, a .pgpass file)
 * @param poolSize       connections this process may hold at once
 * @param connectTimeout how long to wait for the server before saying it cannot be reached
 */
public record PostgresSettings(String url, String user, String password, int poolSize, Duration connectTimeout) {
    public static final String URL_PREFIX = "jdbc:postgresql://";
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public PostgresSettings {
        if (url == null || !url.startsWith(URL_PREFIX)) {
            throw FlywheelException.invalid("The metadata URL '" + (url == null ? "" : url) + "' is not a PostgreSQL JDBC URL;"
                    + " write jdbc:postgresql://HOST:PORT/DATABASE");
        }
        URI parsed;
        try {
            parsed = new URI(url.substring("jdbc:".length()));
        } catch (URISyntaxException e) {
            throw FlywheelException.invalid("The metadata URL '" + url + "' does not parse (" + e.getReason()
                    + "); write jdbc:postgresql://HOST:PORT/DATABASE");
        }
        String path = parsed.getPath() == null ? "" : parsed.getPath();
        if (parsed.getHost() == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw FlywheelException.invalid("The metadata URL '" + url + "' must name a host and one database:"
                    + " jdbc:postgresql://HOST:PORT/DATABASE");
        }
        if (parsed.getUserInfo() != null || (parsed.getQuery() != null && parsed.getQuery().toLowerCase(java.util.Locale.ROOT).contains("password="))) {
            throw FlywheelException.invalid("The metadata URL must not carry a password (it would be stored in plain text);"
                    + " give it with --db-password-env VAR");
        }
        if (user == null || user.isBlank()) {
            throw FlywheelException.invalid("A PostgreSQL metadata store needs a user: --db-user NAME");
        }
        if (poolSize < 1 || poolSize > 100) {
            throw FlywheelException.invalid("setting 'poolSize' is " + poolSize + "; give 1 to 100 connections");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw FlywheelException.invalid("setting 'connectTimeout' must be positive, was " + connectTimeout);
        }
    }

    public static PostgresSettings of(String url, String user, String password) {
        return new PostgresSettings(url, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Where the database is, for people: {@code postgresql://host:5432/db} (no query, no password). */
    public String where() {
        String rest = url.substring("jdbc:".length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /** Masks the password: records print their components. */
    @Override
    public String toString() {
        return "PostgresSettings[" + where() + " user " + user + (password == null ? "" : " password ****") + " pool " + poolSize + "]";
    }
}
