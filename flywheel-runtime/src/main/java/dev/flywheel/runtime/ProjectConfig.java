package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The project's bootstrap file, {@code .flywheel/project.properties}: what must be known before the metadata store
 * can be opened, which is everything else's home. It names the metadata store's flavor and its settings:
 * <pre>
 * metadata-store.flavor=sqlite
 * # metadata-store.SETTING=VALUE for the flavor's settings (see: flywheel flavors list --kind metadata-store);
 * # a value may be {{env.VAR}} (secrets live in the metadata store, so they cannot be used here)
 * </pre>
 * A project without the file (made before it existed) uses {@code sqlite}. {@code flywheel init} writes it.
 *
 * @param metadataFlavor   the metadata store's flavor
 * @param metadataSettings its settings, as written
 */
public record ProjectConfig(String metadataFlavor, Map<String, String> metadataSettings) {
    public static final String FILE = "project.properties";
    private static final String PREFIX = "metadata-store.";
    private static final String FLAVOR = PREFIX + "flavor";

    public ProjectConfig {
        metadataSettings = Map.copyOf(metadataSettings);
    }

    /** The embedded default: {@code sqlite} in the project folder. */
    public static ProjectConfig embedded() {
        return new ProjectConfig("sqlite", Map.of());
    }

    /**
     * A project whose metadata lives in a shared PostgreSQL database ({@code flywheel init --metadata-url}).
     *
     * @param user        the database user; null for this process's user
     * @param passwordEnv the environment variable holding the password (stored as {@code {{env.VAR}}}, never the
     *                    password itself); null for trust, peer or {@code ~/.pgpass}
     * @param env         this process's environment, to check that {@code passwordEnv} is set
     * @throws dev.flywheel.sdk.FlywheelException INVALID_ARGUMENT for a variable name that is not one, or one not set
     */
    public static ProjectConfig postgres(String url, String user, String passwordEnv, Map<String, String> env) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("url", url);
        settings.put("user", user != null ? user : System.getProperty("user.name"));
        if (passwordEnv != null) {
            if (!passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw dev.flywheel.sdk.FlywheelException.invalid("--db-password-env takes the NAME of an environment variable (like"
                        + " PGPASSWORD), got '" + passwordEnv + "'");
            }
            if (env.get(passwordEnv) == null) {
                throw dev.flywheel.sdk.FlywheelException.invalid("--db-password-env names " + passwordEnv + ", which is not set; export it"
                        + " first (every command of this project reads the password from it)");
            }
            settings.put("password", "{{env." + passwordEnv + "}}");
        }
        return new ProjectConfig("postgres", settings);
    }

    /**
     * Reads the file in {@code projectFolder}; the embedded default when there is none.
     *
     * @throws FlywheelException INVALID_ARGUMENT naming the file and the key for anything it does not understand
     */
    public static ProjectConfig read(Path projectFolder) {
        Path file = projectFolder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return embedded();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot read " + file + ": " + e.getMessage());
        }
        String flavor = null;
        Map<String, String> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).strip();
            if (key.equals(FLAVOR)) {
                flavor = value;
            } else if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                settings.put(key.substring(PREFIX.length()), value);
            } else {
                throw FlywheelException.invalid("Unknown key '" + key + "' in " + file + "; it holds " + FLAVOR
                        + " and " + PREFIX + "SETTING=VALUE lines");
            }
        }
        if (flavor == null || flavor.isEmpty()) {
            throw FlywheelException.invalid(file + " names no metadata store: add the line " + FLAVOR + "=sqlite");
        }
        return new ProjectConfig(flavor, settings);
    }

    /**
     * Where the metadata lives, for people: the flavor and its {@code url} or {@code path} setting when it has one
     * ({@code postgres jdbc:postgresql://db:5432/flywheel}); never a password.
     */
    public String where() {
        String at = metadataSettings.getOrDefault("url", metadataSettings.get("path"));
        return metadataFlavor + (at == null ? "" : " " + at);
    }

    /**
     * Writes the file into {@code projectFolder} unless it exists; owner-only, replaced atomically.
     *
     * @return whether it was written (false: it existed)
     */
    public boolean writeIfAbsent(Path projectFolder) {
        Path file = projectFolder.resolve(FILE);
        if (Files.exists(file)) {
            return false;
        }
        StringBuilder text = new StringBuilder()
                .append("# Read before anything else: where this project's metadata (runs, artifacts, models, stacks) lives.\n")
                .append("# metadata-store.SETTING=VALUE lines set the flavor's settings (flywheel flavors list --kind metadata-store);\n")
                .append("# a value may be {{env.VAR}}. See docs/architecture.md, \"The bootstrap\".\n")
                .append(FLAVOR).append('=').append(metadataFlavor).append('\n');
        new TreeMap<>(metadataSettings).forEach((k, v) -> text.append(PREFIX).append(k).append('=').append(v).append('\n'));
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            PrivateFiles.createFile(tmp);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(text.toString());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot write " + file + ": " + e.getMessage());
        }
    }
}
