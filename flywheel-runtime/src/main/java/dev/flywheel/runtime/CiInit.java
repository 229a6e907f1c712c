package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code flywheel ci init github|gitlab}: writes the workflow of a CI platform and the generic entry point
 * {@code ci/flywheel-ci.sh} (for any other CI system) into a repository, from the templates in
 * {@code resources/dev/flywheel/runtime/ci}. Secrets are named (repository secrets, CI/CD variables), never written.
 * Everything is checked before the first file is written; a file that exists with other content is refused unless
 * {@code force}; a file with the same content is left as it is.
 */
public final class CiInit {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,199}");
    public static final String SCRIPT = "ci/flywheel-ci.sh";

    private CiInit() {
    }

    /** The CI platforms Flywheel writes workflows for. */
    public enum Platform {
        GITHUB(".github/workflows/flywheel.yml", "github-flywheel.yml"),
        GITLAB(".gitlab-ci.yml", "gitlab-ci.yml");

        private final String file;
        private final String template;

        Platform(String file, String template) {
            this.file = file;
            this.template = template;
        }

        /** Where the workflow goes in the repository. */
        public String file() {
            return file;
        }

        public static Platform parse(String text) {
            for (Platform p : values()) {
                if (p.name().equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw FlywheelException.invalid("Unknown CI platform '" + text + "'; use github or gitlab (other systems call "
                    + SCRIPT + " written by either)");
        }
    }

    /** What the workflows run: the pipeline, the two stacks and the branch that deploys. */
    public record Settings(String pipeline, String stagingStack, String productionStack, String branch) {
        public Settings {
            check(pipeline, NAME, "--pipeline", "a registered pipeline's name (flywheel pipelines list)");
            check(stagingStack, NAME, "--staging-stack", "a stack name");
            check(productionStack, NAME, "--production-stack", "a stack name");
            check(branch, BRANCH, "--branch", "a branch name such as main");
            if (stagingStack.equals(productionStack)) {
                throw FlywheelException.invalid("--staging-stack and --production-stack are both '" + stagingStack
                        + "'; pull requests must run on a stack apart from production");
            }
        }

        private static void check(String value, Pattern pattern, String option, String what) {
            if (value == null || !pattern.matcher(value).matches()) {
                throw FlywheelException.invalid(option + " must be " + what + " (letters, digits, _ . -" + (option.equals("--branch") ? " /" : "")
                        + "), got " + (value == null ? "nothing" : "'" + value + "'"));
            }
        }
    }

    /**
     * @param written   files written now (new or replaced with --force)
     * @param unchanged files that were there already with the same content
     */
    public record Result(Platform platform, Path root, List<String> written, List<String> unchanged) {
        public Result {
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
        }
    }

    /** The files for {@code platform}, by path relative to the repository, with their content. */
    public static Map<String, String> render(Platform platform, Settings settings) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(platform.file(), fill(template(platform.template), settings));
        files.put(SCRIPT, fill(template("flywheel-ci.sh"), settings));
        return files;
    }

    public static Result write(Path root, Platform platform, Settings settings, boolean force) {
        if (!Files.isDirectory(root)) {
            throw FlywheelException.notFound("No folder " + root + "; run flywheel ci init in your repository, or name it with --dir");
        }
        Map<String, String> files = render(platform, settings);
        List<String> conflicts = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            if (Files.exists(p)) {
                if (read(p).equals(f.getValue())) {
                    unchanged.add(f.getKey());
                } else if (!force) {
                    conflicts.add(f.getKey());
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw FlywheelException.conflict(String.join(", ", conflicts) + (conflicts.size() == 1 ? " exists" : " exist")
                    + " with other content in " + root + "; keep your changes, or replace " + (conflicts.size() == 1 ? "it" : "them")
                    + " with: flywheel ci init " + platform.name().toLowerCase(Locale.ROOT) + " --force");
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (unchanged.contains(f.getKey())) {
                continue;
            }
            writeWhole(root.resolve(f.getKey()), f.getValue(), f.getKey().endsWith(".sh"));
            written.add(f.getKey());
        }
        return new Result(platform, root.toAbsolutePath(), written, unchanged);
    }

    private static String fill(String template, Settings s) {
        return template.replace("{{pipeline}}", s.pipeline()).replace("{{staging}}", s.stagingStack())
                .replace("{{production}}", s.productionStack()).replace("{{branch}}", s.branch());
    }

    private static String template(String name) {
        try (InputStream in = CiInit.class.getResourceAsStream("ci/" + name)) {
            if (in == null) {
                throw new FlywheelException(ErrorCode.INTERNAL, "The CI template " + name + " is missing from Flywheel's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.INTERNAL, "Cannot read the CI template " + name + ": " + e.getMessage());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FlywheelException.invalid("Cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void writeWhole(Path target, String content, boolean executable) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (executable) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the error below says what failed
            }
            throw FlywheelException.invalid("Cannot write " + target + ": " + e.getMessage());
        }
    }
}
