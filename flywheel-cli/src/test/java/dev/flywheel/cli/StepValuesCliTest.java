package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code artifacts show} prints stored values of every kind, refuses damaged ones, and {@code -p} refuses null and infinity. */
class StepValuesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    private String artifact(String output) throws Exception {
        for (JsonNode a : JSON.readTree(flywheel("artifacts", "list", "-n", "500", "--json").out())) {
            if (a.get("outputName").asText().equals(output)) {
                return a.get("id").asText();
            }
        }
        throw new AssertionError("no artifact " + output);
    }

    @Test
    void artifactsShowPrintsEachKindOfValueAndRefusesADamagedOne() throws Exception {
        assertThat(flywheel("init").exit()).isZero();
        CliResult run = flywheel("run", ValueSweep.PIPELINE);
        assertThat(run.exit()).as(run.err()).isZero();

        assertThat(flywheel("artifacts", "show", artifact("text")).out()).isEqualTo("grüße, 東京 🚲\n");
        assertThat(flywheel("artifacts", "show", artifact("table")).out())
                .contains("id").contains("東京").contains("(3 rows x 3 columns)");
        assertThat(flywheel("artifacts", "show", artifact("table"), "--rows", "1").out()).contains("first 1 shown");
        JsonNode list = JSON.readTree(flywheel("artifacts", "show", artifact("doubleList"), "--json").out());
        assertThat(list.get("type").asText()).isEqualTo("java.util.List<java.lang.Double>");
        assertThat(list.get("value").toString()).isEqualTo("[1.5,null,\"NaN\",-0.0]");
        JsonNode points = JSON.readTree(flywheel("artifacts", "show", artifact("pointMap"), "--json").out()).get("value");
        assertThat(points.at("/origin/x").asDouble()).isZero();
        assertThat(JSON.readTree(flywheel("artifacts", "show", artifact("absentString"), "--json").out()).get("value").isNull()).isTrue();
        assertThat(flywheel("artifacts", "show", artifact("longs")).out()).contains("-9223372036854775808");

        String text = artifact("text");
        JsonNode described = JSON.readTree(flywheel("artifacts", "describe", text, "--json").out());
        Path blob = Path.of(java.net.URI.create(described.get("location").asText()));
        Files.writeString(blob, "grüße, 東京 🚗");
        CliResult damaged = flywheel("artifacts", "show", text);
        assertThat(damaged.exit()).isEqualTo(10);
        assertThat(damaged.err()).contains("artifact " + text).contains("is corrupt").contains(described.at("/artifact/sha256").asText())
                .doesNotContain("\tat ");
    }

    /** A user's project compiled here, so its classes are only on the --classpath given, never on the CLI's own. */
    private Path compileUserProject() throws Exception {
        Path src = dir.resolve("user/src/gen");
        Path classes = dir.resolve("user/classes");
        Files.createDirectories(src);
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(src.resolve("Score.java"), "package gen; public record Score(String name, double value) {}");
        Files.writeString(src.resolve("MakeScores.java"), """
                package gen;
                import dev.flywheel.sdk.Step;
                import java.util.List;
                public final class MakeScores {
                    @Step(output = "scores")
                    public List<Score> make() {
                        return List.of(new Score("a", 0.5), new Score("b", Double.NaN));
                    }
                }
                """);
        Files.writeString(src.resolve("Provider.java"), """
                package gen;
                import dev.flywheel.sdk.Pipeline;
                import java.util.List;
                public final class Provider implements dev.flywheel.sdk.spi.PipelineProvider {
                    @Override
                    public List<Pipeline> pipelines() {
                        return List.of(Pipeline.named("scores").step(MakeScores.class).build());
                    }
                }
                """);
        Files.writeString(classes.resolve("META-INF/services/dev.flywheel.sdk.spi.PipelineProvider"), "gen.Provider\n");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                src.resolve("Score.java").toString(), src.resolve("MakeScores.java").toString(), src.resolve("Provider.java").toString());
        assertThat(status).as("javac").isZero();
        return classes;
    }

    @Test
    void artifactsOfTheUsersOwnTypesAreShownWithThePipelinesClasspath() throws Exception {
        Path classes = compileUserProject();
        assertThat(flywheel("init").exit()).isZero();
        CliResult run = flywheel("run", "scores", "--classpath", classes.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String scores = artifact("scores");

        CliResult without = flywheel("artifacts", "show", scores);
        assertThat(without.exit()).isEqualTo(3);
        assertThat(without.err()).contains("artifact " + scores).contains("class gen.Score is not on the class path")
                .contains("--classpath");
        CliResult with = flywheel("artifacts", "show", scores, "--classpath", classes.toString(), "--json");
        assertThat(with.exit()).as(with.err()).isZero();
        JsonNode value = JSON.readTree(with.out()).get("value");
        assertThat(value.toString()).isEqualTo("[{\"name\":\"a\",\"value\":0.5},{\"name\":\"b\",\"value\":\"NaN\"}]");
        assertThat(JSON.readTree(with.out()).get("type").asText()).isEqualTo("java.util.List<gen.Score>");
    }

    @Test
    void nullAndInfiniteParametersAreRefusedBeforeTheRunNamingTheParameter() {
        assertThat(flywheel("init").exit()).isZero();
        CliResult nullName = flywheel("run", "hello", "-p", "greet.name=null");
        assertThat(nullName.exit()).isEqualTo(2);
        assertThat(nullName.err()).contains("greet.name=null").contains("cannot set a field to null");
        CliResult infinite = flywheel("run", "hello", "-p", "greet.times=1e400");
        assertThat(infinite.exit()).isEqualTo(2);
        assertThat(infinite.err()).contains("greet");
        assertThat(flywheel("runs", "list", "--json").out().trim()).isEqualTo("[ ]");
    }
}
