package dev.flywheel.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Project files only their owner may read: folders {@code 0700}, files {@code 0600}. The metadata store holds
 * webhook secrets and tokens, so a project must not be readable by other users of the machine, whatever the umask.
 * On file systems without POSIX permissions these calls create plainly and tighten nothing.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents; the folders this creates are {@code 0700}. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            if (POSIX) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                // the umask may have removed bits we asked for; it never adds any, but set exactly what we mean
                Files.setPosixFilePermissions(absolute, FOLDER);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /** Creates {@code file} empty with mode {@code 0600} unless it exists; returns true if it created it. */
    public static boolean createFile(Path file) throws IOException {
        try {
            if (POSIX) {
                Files.createFile(file, new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE)});
            } else {
                Files.createFile(file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Removes group and other permissions from {@code path} (a file or folder, not followed if a link); missing
     * paths are ignored. Returns the permissions it had, as {@code rwxr-xr-x}, if it changed them.
     */
    public static Optional<String> tighten(Path path) throws IOException {
        if (!POSIX || Files.isSymbolicLink(path)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> before;
        try {
            before = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? FOLDER : FILE;
        Set<PosixFilePermission> after = EnumSet.noneOf(PosixFilePermission.class);
        after.addAll(before);
        after.retainAll(wanted);
        if (after.equals(before)) {
            return Optional.empty();
        }
        Files.setPosixFilePermissions(path, after);
        return Optional.of(PosixFilePermissions.toString(before));
    }

    /** The permissions of {@code path} as {@code rwx------}, or empty where the file system has none. */
    public static Optional<String> permissions(Path path) throws IOException {
        return POSIX ? Optional.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)))
                : Optional.empty();
    }
}
