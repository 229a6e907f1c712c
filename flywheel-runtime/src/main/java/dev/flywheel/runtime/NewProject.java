package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code flywheel new NAME}: a standalone Maven project of one's own (no parent POM from Flywheel's repository) that
 * depends on the Flywheel SDK and formats of this Flywheel's version, with one step, a pipeline {@code training}
 * registered through {@code PipelineProvider}, a JUnit test that runs it against a temporary project, a README and its
 * {@code .flywheel/} project. Written in a temporary folder and renamed, so a failure leaves nothing half-made.
 */
public final class NewProject {
    private static final String TEMPLATES = "/dev/flywheel/runtime/template/";

    private NewProject() {
    }

    /** What was created. */
    public record Created(Path folder, String groupId, String packageName, String flywheelVersion, List<Path> files) {
    }

    /** The Flywheel version (and plugin versions) this build was made with: what new projects depend on. */
    public static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = NewProject.class.getResourceAsStream("/dev/flywheel/runtime/flywheel-version.properties")) {
            if (in == null) {
                throw new FlywheelException(ErrorCode.INTERNAL, "flywheel-version.properties is missing from flywheel-runtime");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /**
     * Creates project {@code name} in {@code folder} (which must not exist, or be empty).
     *
     * @param groupId the Maven group and the start of the Java package, such as {@code com.example}
     */
    public static Created create(Path folder, String name, String groupId) {
        if (name == null || !name.matches("[a-z][a-z0-9_-]{0,63}")) {
            throw FlywheelException.invalid("Project name '" + name + "' is not valid: use lower-case letters, digits, '-' and '_', "
                    + "starting with a letter (it becomes the Maven artifactId), for example: flywheel new demand-forecast");
        }
        if (groupId == null || !groupId.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw FlywheelException.invalid("Group '" + groupId + "' is not valid: use a Java package name such as com.example");
        }
        Path target = folder.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyFolder(target)) {
            throw FlywheelException.conflict("Folder " + target + " already exists and is not empty; choose another name or folder");
        }
        String pkg = groupId + "." + name.replaceAll("[^a-z0-9]", "");
        Properties v = versions();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@NAME@", name);
        values.put("@GROUP@", groupId);
        values.put("@PACKAGE@", pkg);
        values.put("@PACKAGE_PATH@", pkg.replace('.', '/'));
        values.put("@FLYWHEEL_VERSION@", v.getProperty("version"));
        values.put("@JUNIT_VERSION@", v.getProperty("junit"));
        values.put("@COMPILER_PLUGIN_VERSION@", v.getProperty("compilerPlugin"));
        values.put("@SUREFIRE_VERSION@", v.getProperty("surefirePlugin"));
        values.put("@RESOURCES_PLUGIN_VERSION@", v.getProperty("resourcesPlugin"));
        values.put("@JAR_PLUGIN_VERSION@", v.getProperty("jarPlugin"));
        values.put("@DEPENDENCY_PLUGIN_VERSION@", v.getProperty("dependencyPlugin"));

        String pkgPath = pkg.replace('.', '/');
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", "pom.xml.tmpl");
        files.put("README.md", "README.md.tmpl");
        files.put(".gitignore", "gitignore.tmpl");
        files.put("src/main/java/" + pkgPath + "/Train.java", "Train.java.tmpl");
        files.put("src/main/java/" + pkgPath + "/Pipelines.java", "Pipelines.java.tmpl");
        files.put("src/test/java/" + pkgPath + "/TrainingPipelineTest.java", "TrainingPipelineTest.java.tmpl");

        Path parent = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + name + ".new-");
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create a folder in " + parent + ": " + e.getMessage());
        }
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                write(tmp.resolve(f.getKey()), fill(template(f.getValue()), values));
                written.add(target.resolve(f.getKey()));
            }
            write(tmp.resolve("src/main/resources/META-INF/services/dev.flywheel.sdk.spi.PipelineProvider"), pkg + ".Pipelines\n");
            written.add(target.resolve("src/main/resources/META-INF/services/dev.flywheel.sdk.spi.PipelineProvider"));
            try (Flywheel ignored = Flywheel.create(cfg -> cfg.home = tmp.resolve(ProjectHome.FOLDER))) {
                written.add(target.resolve(ProjectHome.FOLDER));
            }
            if (Files.exists(target)) {
                Files.delete(target);          // empty, checked above
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            if (e instanceof FlywheelException fe) {
                throw fe;
            }
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot create project " + name + " in " + target + ": " + e.getMessage());
        }
        return new Created(target, groupId, pkg, v.getProperty("version"), written);
    }

    private static String template(String name) {
        try (InputStream in = NewProject.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new FlywheelException(ErrorCode.INTERNAL, "template " + name + " is missing from flywheel-runtime");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static boolean isEmptyFolder(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder left behind is named .NAME.new-*
        }
    }
}
