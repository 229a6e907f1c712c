package dev.flywheel.spark;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Spark installation: a real one ({@code SPARK_HOME} of a Spark download) or one Flywheel assembles from the Spark
 * jars on its own classpath (Maven artifacts), so nothing needs installing to run Spark locally or against a
 * cluster of the same version. An assembled home is a folder with {@code jars/} (links to the jars) and the two
 * scripts Spark's launcher calls ({@code bin/spark-submit}, {@code bin/spark-class}), which build the Java command
 * with Spark's own launcher library exactly as a download does. Built once per set of jars and reused.
 */
public record SparkHome(Path dir) {
    /** Spark's launcher needs to know the Scala version when the home is not a build tree. */
    public static final String SCALA_VERSION = "2.13";

    /** The environment every process run from this home needs. */
    public Map<String, String> environment() {
        return Map.of("SPARK_HOME", dir.toString(), "SPARK_SCALA_VERSION", SCALA_VERSION);
    }

    /** The jars of the installation ({@code jars/*}), for class paths. */
    public String jarsGlob() {
        return dir.resolve("jars") + "/*";
    }

    /** File names in {@code jars/}: what the cluster already has. */
    public Set<String> jarNames() {
        try (Stream<Path> files = Files.list(dir.resolve("jars"))) {
            Set<String> out = new HashSet<>();
            files.forEach(f -> out.add(f.getFileName().toString()));
            return out;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * A real installation.
     *
     * @throws FlywheelException INVALID_ARGUMENT when {@code dir} has no {@code bin/spark-submit} or {@code jars/}
     */
    public static SparkHome installed(Path dir) {
        if (!Files.isExecutable(dir.resolve("bin/spark-submit")) || !Files.isDirectory(dir.resolve("jars"))) {
            throw FlywheelException.invalid("sparkHome " + dir + " is not a Spark installation (no bin/spark-submit or jars/);"
                    + " give the folder a Spark download unpacks to, or leave sparkHome unset to use the Spark jars on Flywheel's classpath");
        }
        return new SparkHome(dir);
    }

    /**
     * The home assembled from the jars among {@code classpath} under {@code parent} (one folder per set of jars).
     *
     * @throws FlywheelException INVALID_ARGUMENT when the class path holds no Spark
     */
    public static SparkHome assemble(Path parent, List<String> classpath) {
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                jars.add(p.toAbsolutePath());
            }
        }
        if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("spark-core_"))) {
            throw FlywheelException.invalid("no Spark on the classpath (spark-core_2.13 jar); put flywheel-spark with its dependencies on"
                    + " the classpath (FLYWHEEL_CLASSPATH) or set the step operator's sparkHome to a Spark installation");
        }
        Path dir = parent.resolve("home-" + digest(jars));
        if (Files.isExecutable(dir.resolve("bin/spark-submit"))) {
            return new SparkHome(dir);
        }
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "assembling-");
            Path lib = Files.createDirectories(tmp.resolve("jars"));
            Set<String> names = new HashSet<>();
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!names.add(name)) {
                    name = names.size() + "-" + name; // two artifacts with one file name: keep both
                    names.add(name);
                }
                Files.createSymbolicLink(lib.resolve(name), jar);
            }
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            script(bin.resolve("spark-class"), SPARK_CLASS);
            script(bin.resolve("spark-submit"), SPARK_SUBMIT);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                deleteTree(tmp); // another process assembled the same home first
            }
            return new SparkHome(dir);
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "cannot assemble a Spark home under " + parent + ": " + e.getMessage(), e);
        }
    }

    // Spark's bin/spark-class, reduced: Spark's launcher library prints the Java command (NUL-separated), we run it.
    private static final String SPARK_CLASS = """
            #!/usr/bin/env bash
            # Written by Flywheel: runs a Spark class like Spark's own bin/spark-class, from the jars in ../jars.
            export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
            export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
            if [ -n "${JAVA_HOME:-}" ]; then RUNNER="$JAVA_HOME/bin/java"; else RUNNER=java; fi
            build_command() {
              "$RUNNER" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"
              printf "%d\\0" $?
            }
            set +o posix
            # the launcher prints messages, then a line holding only NUL, then the command NUL-separated
            CMD=()
            DELIM=$'\\n'
            STARTED=false
            while IFS= read -d "$DELIM" -r _ARG; do
              ARG=${_ARG//$'\\r'}
              if [ "$STARTED" == true ]; then
                CMD+=("$ARG")
              elif [ "$ARG" == $'\\0' ]; then
                DELIM=''
                STARTED=true
              elif [ "$ARG" != "" ]; then
                echo "$ARG"
              fi
            done < <(build_command "$@")
            COUNT=${#CMD[@]}
            LAST=$((COUNT - 1))
            CODE=${CMD[$LAST]}
            if ! [[ "$CODE" =~ ^[0-9]+$ ]]; then echo "spark-class: the launcher failed" >&2; exit 1; fi
            if [ "$CODE" != 0 ]; then exit "$CODE"; fi
            exec "${CMD[@]:0:$LAST}"
            """;

    private static final String SPARK_SUBMIT = """
            #!/usr/bin/env bash
            # Written by Flywheel: spark-submit from the jars in ../jars.
            exec "$(cd "$(dirname "$0")" && pwd)/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
            """;

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private static String digest(List<Path> jars) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((SPARK_CLASS + SPARK_SUBMIT).getBytes(StandardCharsets.UTF_8)); // a changed script makes a new home
            for (Path j : jars) {
                md.update(j.toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary folder
        }
    }
}
