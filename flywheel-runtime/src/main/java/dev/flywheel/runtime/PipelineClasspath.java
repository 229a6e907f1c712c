package dev.flywheel.runtime;

import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's classpath ({@code --classpath} or {@code FLYWHEEL_CLASSPATH}): folders and jars separated by the
 * platform's path separator; {@code dir/*} stands for every jar in {@code dir}, as with {@code java -cp}.
 */
public final class PipelineClasspath {
    public static final String ENV = "FLYWHEEL_CLASSPATH";

    private PipelineClasspath() {
    }

    /**
     * The class path of the Maven project around a Flywheel project (the folder that holds {@code .flywheel/}) once it
     * is built: {@code target/classes} and the libraries listed in {@code target/flywheel.classpath}, which the pom of
     * {@code flywheel new} writes at {@code mvn package}. Empty when the project has no such build output.
     */
    public static java.util.Optional<String> ofProject(ProjectHome home) {
        Path project = home.dir().getParent();
        Path classes = project.resolve("target").resolve("classes");
        Path listed = project.resolve("target").resolve("flywheel.classpath");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(listed)) {
            return java.util.Optional.empty();
        }
        try {
            String libraries = Files.readString(listed).strip();
            return java.util.Optional.of(classes + (libraries.isEmpty() ? "" : java.io.File.pathSeparator + libraries));
        } catch (IOException e) {
            throw FlywheelException.invalid("Cannot read " + listed + ": " + e.getMessage() + "; rebuild with: mvn package");
        }
    }

    /** A class loader over {@code classpath} whose parent is {@code parent}; {@code parent} itself when empty. */
    public static ClassLoader loader(String classpath, ClassLoader parent) {
        if (classpath == null || classpath.isBlank()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith("/*") || entry.equals("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1));
                requireExists(dir, entry);
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    for (Path jar : jars) {
                        urls.add(url(jar));
                    }
                } catch (IOException e) {
                    throw FlywheelException.invalid("Cannot list classpath folder " + dir + ": " + e.getMessage());
                }
            } else {
                Path p = Path.of(entry);
                requireExists(p, entry);
                urls.add(url(p));
            }
        }
        return new URLClassLoader("flywheel-pipelines", urls.toArray(URL[]::new), parent);
    }

    private static void requireExists(Path p, String entry) {
        if (!Files.exists(p)) {
            throw FlywheelException.invalid("Classpath entry '" + entry + "' does not exist (resolved to " + p.toAbsolutePath()
                    + "); pass folders of compiled classes or jars, for example --classpath target/classes:target/lib/*");
        }
    }

    private static URL url(Path p) {
        try {
            return p.toAbsolutePath().toUri().toURL();
        } catch (MalformedURLException e) {
            throw FlywheelException.invalid("Classpath entry " + p + " is not a valid path: " + e.getMessage());
        }
    }
}
