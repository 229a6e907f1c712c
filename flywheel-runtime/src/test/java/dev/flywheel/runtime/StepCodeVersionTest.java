package dev.flywheel.runtime;

import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.RunListener;
import dev.flywheel.sdk.RunOptions;
import dev.flywheel.sdk.RunResult;
import dev.flywheel.sdk.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache key includes the step's bytecode: edit a step, recompile, and it runs again. */
class StepCodeVersionTest {
    @TempDir
    Path dir;

    private static final String SOURCE = """
            package gen;
            import dev.flywheel.sdk.Input;
            import dev.flywheel.sdk.Step;
            import dev.flywheel.runtime.TestSteps.Numbers;
            public final class Describe {
                @Step(output = "description")
                public String describe(@Input("numbers") Numbers numbers) {
                    return %s;
                }
            }
            """;

    private Class<?> compile(String name, String body) throws IOException, ClassNotFoundException {
        Path src = dir.resolve(name + "/src/gen/Describe.java");
        Path out = dir.resolve(name + "/classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(out);
        Files.writeString(src, SOURCE.formatted(body));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", out.toString(), "-classpath", System.getProperty("java.class.path"), src.toString());
        assertThat(status).as("javac exit status").isZero();
        ClassLoader loader = new URLClassLoader(new URL[]{out.toUri().toURL()}, getClass().getClassLoader());
        return Class.forName("gen.Describe", true, loader);
    }

    private static Pipeline pipeline(Class<?> describe) {
        return Pipeline.named("describe")
                .step(TestSteps.Generate.class, new TestSteps.Generate.Config(3, 0))
                .step(describe)
                .build();
    }

    @Test
    void editingAStepsCodeInvalidatesOnlyThatStepsCache() throws Exception {
        Class<?> v1 = compile("v1", "\"n=\" + numbers.values().size()");
        Class<?> v1Again = compile("v1-again", "\"n=\" + numbers.values().size()");
        Class<?> v2 = compile("v2", "\"count: \" + numbers.values().size()");

        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            RunResult first = flywheel.run(pipeline(v1), RunOptions.defaults(), RunListener.NONE);
            RunResult rebuilt = flywheel.run(pipeline(v1Again), RunOptions.defaults(), RunListener.NONE);
            RunResult edited = flywheel.run(pipeline(v2), RunOptions.defaults(), RunListener.NONE);

            assertThat(first.step("describe").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
            assertThat(rebuilt.step("describe").orElseThrow().status()).as("same bytecode, rebuilt").isEqualTo(StepStatus.CACHED);
            assertThat(edited.step("generate").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
            assertThat(edited.step("describe").orElseThrow().status()).as("edited code").isEqualTo(StepStatus.SUCCEEDED);
            assertThat(flywheel.artifacts().load(edited.artifactId("describe", "description"), String.class)).isEqualTo("count: 3");
        }
    }
}
