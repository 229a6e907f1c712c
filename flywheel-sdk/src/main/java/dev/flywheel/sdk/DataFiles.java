package dev.flywheel.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files a pipeline reads from outside Flywheel (exports, batches), declared with
 * {@link Pipeline.Builder#readsFiles}: {@code flywheel pipelines list} shows where they are expected and whether any are
 * there, so a user knows what a pipeline needs before running it.
 *
 * @param folder where the files are; a relative folder is relative to the folder the run starts in (the project
 *               folder for runs the scheduler starts)
 * @param glob   which files in it, such as {@code batch-*.csv}
 * @param hint   how to get some, one line, such as {@code "flywheel init --example writes a sample"}; may be empty
 */
public record DataFiles(String folder, String glob, String hint) {
    public DataFiles {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(glob, "glob");
        hint = hint == null ? "" : hint;
        if (folder.isBlank() || glob.isBlank()) {
            throw FlywheelException.invalid("DataFiles: folder and glob must not be blank, got '" + folder + "' and '" + glob + "'");
        }
    }

    /** The folder, resolved against {@code base} when relative. */
    public Path resolve(Path base) {
        return base.resolve(folder).toAbsolutePath().normalize();
    }

    /** The matching files in the folder resolved against {@code base}, in name order; empty when the folder is missing. */
    public List<Path> find(Path base) {
        Path dir = resolve(base);
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        files.sort(null);
        return files;
    }
}
