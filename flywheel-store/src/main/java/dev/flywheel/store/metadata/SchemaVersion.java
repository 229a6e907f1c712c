package dev.flywheel.store.metadata;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether Flyway needs to run at all. Starting Flyway costs a few hundred milliseconds, which would be most
 * of a short CLI command; when every migration on the classpath is already recorded as applied, there is nothing
 * for it to do. Flyway still runs (and validates) whenever a migration is new. Plain JDBC, so every metadata store
 * flavor (SQLite, PostgreSQL) asks the same way.
 */
public final class SchemaVersion {
    private static final String FOLDER = "db/migration/common";
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.*\\.sql");

    private SchemaVersion() {
    }

    /** Whether every migration {@code loader} sees under {@link MetadataStore#MIGRATIONS} is applied in the database. */
    public static boolean isCurrent(DataSource dataSource, ClassLoader loader) {
        Set<String> onClasspath;
        try {
            onClasspath = migrationsOnClasspath(loader);
        } catch (IOException | URISyntaxException e) {
            return false;
        }
        if (onClasspath.isEmpty()) {
            return false;
        }
        Set<String> applied = new HashSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, "flyway_schema_history", new String[] {"TABLE"})) {
                if (!rs.next()) {
                    return false;
                }
            }
            // success is an integer in SQLite and a boolean in PostgreSQL: read, not compared in SQL
            try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        applied.add(normalize(rs.getString(1)));
                    }
                }
            }
        } catch (SQLException e) {
            return false;
        }
        return applied.containsAll(onClasspath);
    }

    private static Set<String> migrationsOnClasspath(ClassLoader loader) throws IOException, URISyntaxException {
        Set<String> versions = new HashSet<>();
        Enumeration<URL> folders = loader.getResources(FOLDER);
        while (folders.hasMoreElements()) {
            URL url = folders.nextElement();
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                JarFile file = jar.getJarFile();
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(FOLDER + "/")) {
                        add(versions, name.substring(FOLDER.length() + 1));
                    }
                }
            } else if ("file".equals(url.getProtocol())) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(url.toURI()))) {
                    for (Path p : files) {
                        add(versions, p.getFileName().toString());
                    }
                }
            } else {
                throw new IOException("cannot list migrations at " + url);
            }
        }
        return versions;
    }

    private static void add(Set<String> versions, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            versions.add(normalize(m.group(1)));
        }
    }

    private static String normalize(String version) {
        return version.replace('_', '.');
    }
}
