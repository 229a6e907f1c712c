package dev.flywheel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A pipeline project of one's own, end to end as a user does it: {@code flywheel new demo}, {@code mvn package} in it
 * (offline), {@code flywheel run training} in it without {@code --classpath}. Flywheel's artifacts of this build are put
 * in a temporary local Maven repository (the shared {@code ~/.m2} is only read, through links for third-party
 * libraries and plugins), so a test never leaves a half-built Flywheel in it.
 */
class NewProjectTest {
    @TempDir
    Path dir;

    @Test
    void newProjectBuildsWithMavenAndItsPipelineRunsWithoutAClasspath() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent();
        Path repo = localRepository(checkout);
        Path mvn = onPath("mvn");
        assumeThat(mvn).as("needs Maven (mvn) on the PATH").isNotNull();

        CliResult created = ChildCli.run(dir, "new", "demo");
        assertThat(created.exit()).as(created.out() + created.err()).isZero();
        Path project = dir.resolve("demo");
        assertThat(created.out()).contains("Created demo (package com.example.demo");
        assertThat(project.resolve("pom.xml")).content().doesNotContain("<parent>").contains("<artifactId>flywheel-sdk</artifactId>")
                .contains("<artifactId>flywheel-formats</artifactId>");
        assertThat(project.resolve("README.md")).exists();
        assertThat(project.resolve(".flywheel/flywheel.db")).exists();
        assertThat(project.resolve("src/main/resources/META-INF/services/dev.flywheel.sdk.spi.PipelineProvider")).content()
                .isEqualToIgnoringNewLines("com.example.demo.Pipelines");

        ProcessBuilder build = new ProcessBuilder(mvn.toString(), "-o", "-B", "-q", "package", "-Dmaven.repo.local=" + repo)
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("mvn.log").toFile());
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = build.start();
        assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("mvn package finishes").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("mvn.log"))).isZero();
        assertThat(project.resolve("target/flywheel.classpath")).exists();
        assertThat(project.resolve("target/surefire-reports/TEST-com.example.demo.TrainingPipelineTest.xml")).content()
                .contains("tests=\"1\"").contains("failures=\"0\"").contains("errors=\"0\"");

        CliResult listed = ChildCli.run(project, "pipelines", "list");
        assertThat(listed.out()).contains("training").contains("trains the demo model");
        CliResult run = ChildCli.run(project, "run", "training");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("Run [0-9a-f]{8} of training succeeded");
        assertThat(ChildCli.run(project, "models", "versions", "demo").out()).contains("train_rows");

        CliResult again = ChildCli.run(dir, "new", "demo");
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains("already exists and is not empty");
        CliResult badName = ChildCli.run(dir, "new", "Bad Name");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("is not valid");
    }

    /**
     * A local repository holding this build's Flywheel artifacts (jars and poms from each module's target/), with every
     * other group linked to the shared ~/.m2 repository, read only in offline mode.
     */
    private Path localRepository(Path checkout) throws IOException {
        Path shared = Path.of(System.getProperty("user.home"), ".m2", "repository");
        assumeThat(shared).as("needs the local Maven repository ~/.m2/repository with the build's plugins").isDirectory();
        Path repo = Files.createDirectories(dir.resolve("repo"));
        try (Stream<Path> groups = Files.list(shared)) {
            for (Path g : groups.toList()) {
                if (!g.getFileName().toString().equals("dev")) {
                    Files.createSymbolicLink(repo.resolve(g.getFileName()), g);
                }
            }
        }
        Path dev = Files.createDirectories(repo.resolve("dev"));
        if (Files.isDirectory(shared.resolve("dev"))) {
            try (Stream<Path> groups = Files.list(shared.resolve("dev"))) {
                for (Path g : groups.toList()) {
                    if (!g.getFileName().toString().equals("flywheel")) {
                        Files.createSymbolicLink(dev.resolve(g.getFileName()), g);
                    }
                }
            }
        }
        String version = version(checkout);
        install(repo, "flywheel-parent", version, checkout.resolve("pom.xml"), null);
        List<String> missing = new ArrayList<>();
        try (Stream<Path> modules = Files.list(checkout)) {
            for (Path m : modules.filter(m -> m.getFileName().toString().startsWith("flywheel-")).toList()) {
                String artifact = m.getFileName().toString();
                Path jar = m.resolve("target").resolve(artifact + "-" + version + ".jar");
                if (artifact.equals("flywheel-cli") || artifact.equals("flywheel-bench")) {
                    continue;
                }
                if (!Files.isRegularFile(jar)) {
                    missing.add(jar.toString());
                    continue;
                }
                install(repo, artifact, version, m.resolve("pom.xml"), jar);
            }
        }
        assumeThat(missing).as("needs the modules' jars (run mvn verify or package first)").isEmpty();
        return repo;
    }

    private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
        Path target = Files.createDirectories(repo.resolve("dev/flywheel").resolve(artifact).resolve(version));
        Files.copy(pom, target.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, target.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String version(Path checkout) throws IOException {
        String pom = Files.readString(checkout.resolve("pom.xml"));
        int artifact = pom.indexOf("<artifactId>flywheel-parent</artifactId>");
        int start = pom.indexOf("<version>", artifact) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start)).strip();
    }

    private static Path onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
