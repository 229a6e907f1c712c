package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The project's {@code .flywheel/} folder, found like git finds {@code .git/}: in the working directory or one of
 * its parents, unless {@code FLYWHEEL_HOME} names it. It holds the metadata store, the local artifact store and
 * the state of local daemons.
 */
public record ProjectHome(Path dir) {
    public static final String FOLDER = ".flywheel";
    public static final String ENV = "FLYWHEEL_HOME";

    public ProjectHome {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The home named by {@code FLYWHEEL_HOME}, else the nearest {@code .flywheel/} at or above {@code start}. */
    public static Optional<ProjectHome> locate(Path start, Map<String, String> env) {
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) {
            return Optional.of(new ProjectHome(Path.of(named)));
        }
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(FOLDER);
            if (Files.isDirectory(candidate)) {
                return Optional.of(new ProjectHome(candidate));
            }
        }
        return Optional.empty();
    }

    /** Like {@link #locate}, but fails with a message that says how to create a project. */
    public static ProjectHome require(Path start, Map<String, String> env) {
        return locate(start, env).orElseThrow(() -> new FlywheelException(ErrorCode.NOT_INITIALIZED,
                "No Flywheel project here: no " + FOLDER + "/ folder in " + start.toAbsolutePath().normalize()
                        + " or its parents, and " + ENV + " is not set; create one with: flywheel init"));
    }

    /** Creates the folders of a home (idempotent). */
    public ProjectHome create() {
        try {
            Files.createDirectories(artifacts());
            return this;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the Flywheel project folder " + dir + ": "
                    + e.getMessage() + "; check that the parent folder exists and is writable");
        }
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    public Path database() {
        return dir.resolve("flywheel.db");
    }

    public Path artifacts() {
        return dir.resolve("artifacts");
    }

    /** A folder for the state of one kind of local daemon ({@code services}, {@code scheduler}). */
    public Path daemons(String kind) {
        return dir.resolve(kind);
    }
}
