package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's {@code .flywheel/} folder, found like git finds {@code .git/}: in the working directory or one of
 * its parents, unless {@code FLYWHEEL_HOME} names it. It holds the metadata store, the local artifact store and
 * the state of local daemons.
 */
public record ProjectHome(Path dir) {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectHome.class);
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

    /**
     * Creates the folders of a home (idempotent), owner-only ({@code 0700}), and tightens an existing one.
     *
     * @throws FlywheelException UNAVAILABLE when the metadata store is an empty file beside existing project data
     *                           (see {@link #requireProject()})
     */
    public ProjectHome create() {
        refuseTruncatedDatabase();
        try {
            PrivateFiles.createDirectories(artifacts());
            tighten();
            return this;
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create the Flywheel project folder " + dir + ": "
                    + e.getMessage() + "; check that the parent folder exists and is writable");
        }
    }

    /**
     * Checks that this folder holds a project: only {@code flywheel init} (or {@link #create()}) makes one, so a
     * command pointed at any other folder fails instead of starting an empty project there.
     *
     * @throws FlywheelException NOT_INITIALIZED when there is no project at {@link #dir()}; UNAVAILABLE when its
     *                           metadata store is an empty file although the project holds data (it was truncated:
     *                           opening it would silently start a new, empty project over the old artifacts)
     */
    public ProjectHome requireProject() {
        return requireProject(true);
    }

    /**
     * As {@link #requireProject()}; {@code embeddedStore} says whether the project's metadata store is the SQLite
     * file in this folder (else the folder needs only its {@link ProjectConfig#FILE}).
     */
    public ProjectHome requireProject(boolean embeddedStore) {
        if (!Files.isDirectory(dir)) {
            throw notAProject(Files.exists(dir) ? "it is a file, not a folder" : "the folder does not exist");
        }
        if (!embeddedStore) {
            if (!Files.isRegularFile(dir.resolve(ProjectConfig.FILE))) {
                throw notAProject("it has no " + ProjectConfig.FILE);
            }
            return this;
        }
        if (!Files.isRegularFile(database())) {
            throw notAProject("it has no " + database().getFileName());
        }
        refuseTruncatedDatabase();
        if (size(database()) == 0) {
            throw notAProject(database().getFileName() + " is empty");
        }
        try {
            tighten();
        } catch (IOException e) {
            // a read-only project stays as it is; reading it still works
        }
        return this;
    }

    private FlywheelException notAProject(String why) {
        String hint = "";
        Path nested = dir.resolve(FOLDER);
        if (!dir.getFileName().toString().equals(FOLDER) && Files.isRegularFile(nested.resolve(database().getFileName()))) {
            hint = "; " + nested + " is one: pass --home " + nested;
        }
        return new FlywheelException(ErrorCode.NOT_INITIALIZED, "No Flywheel project at " + dir + " (" + why
                + "); create one with: flywheel --home " + dir + " init" + hint);
    }

    private void refuseTruncatedDatabase() {
        Path db = database();
        if (!Files.isRegularFile(db) || size(db) != 0) {
            return;
        }
        List<String> data = projectData();
        if (!data.isEmpty()) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "The metadata store " + db + " is empty (0 bytes) although"
                    + " the project holds " + String.join(", ", data) + ": it was truncated or replaced, and opening it"
                    + " would start an empty project over them. Restore " + db.getFileName() + " from a backup; or, to start"
                    + " over keeping the blobs, move it aside (mv " + db + " " + db + ".empty) and run: flywheel --home "
                    + dir + " init");
        }
    }

    /** What an empty metadata store would orphan: artifact blobs, daemon folders, WAL contents. */
    private List<String> projectData() {
        List<String> found = new ArrayList<>();
        long blobs = count(artifacts().resolve("blobs"));
        if (blobs > 0) {
            found.add(blobs + " artifact blob folder(s)");
        }
        for (String daemon : List.of("services", "scheduler")) {
            if (Files.isDirectory(daemons(daemon))) {
                found.add("a " + daemon + "/ folder");
            }
        }
        Path wal = dir.resolve(database().getFileName() + "-wal");
        if (Files.isRegularFile(wal) && size(wal) > 0) {
            found.add("a write-ahead log (" + wal.getFileName() + ")");
        }
        return found;
    }

    /** Makes an existing project owner-only: the folder, its metadata store files and its daemon folders. */
    private void tighten() throws IOException {
        List<Path> paths = new ArrayList<>(List.of(dir, artifacts(), daemons("services"), daemons("scheduler")));
        for (Path p : paths) {
            PrivateFiles.tighten(p).ifPresent(before -> LOG.warn("project folder made owner-only: path={} was={}", p, before));
        }
    }

    private static long count(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    /** Whether the folder has its bootstrap file ({@link ProjectConfig#FILE}). */
    public boolean hasConfig() {
        return Files.isRegularFile(dir.resolve(ProjectConfig.FILE));
    }

    /**
     * Undoes a project creation whose metadata store could not be opened: removes the bootstrap file just written
     * and, when the folder did not exist before, the empty folders {@link #create()} made.
     */
    void forgetConfig(boolean folderExisted) {
        try {
            Files.deleteIfExists(dir.resolve(ProjectConfig.FILE));
            if (!folderExisted) {
                Files.deleteIfExists(artifacts());
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // a folder that is not empty stays; the bootstrap file is what matters and it is gone or reported below
        }
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
