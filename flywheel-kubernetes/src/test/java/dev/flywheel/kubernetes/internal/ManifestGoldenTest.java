package dev.flywheel.kubernetes.internal;

import dev.flywheel.kubernetes.Fixtures;
import dev.flywheel.kubernetes.KubernetesDeployerConfig.CanaryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests each flavor renders, compared with reviewed golden files in src/test/resources/golden. After an
 * intended change, regenerate them with {@code -Dflywheel.golden.update=true} and review the diff.
 */
class ManifestGoldenTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("kserve-onnx", new KServeTarget(), Fixtures.rendering("kserve", 1, "onnx", Fixtures.settings())),
                Arguments.of("kserve-xgboost", new KServeTarget(), Fixtures.rendering("kserve", 1, "xgboost", Fixtures.settings())),
                Arguments.of("kserve-custom-predictor", new KServeTarget(), Fixtures.rendering("kserve", 1, "lightgbm", Fixtures.settings())),
                Arguments.of("kserve-canary-20", new KServeTarget(), Fixtures.canary("kserve", 20, CanaryMode.SPLIT, "xgboost")),
                Arguments.of("seldon", new SeldonTarget(), Fixtures.rendering("seldon", 1, "xgboost", Fixtures.settings())),
                Arguments.of("seldon-canary-20", new SeldonTarget(), Fixtures.canary("seldon", 20, CanaryMode.SPLIT, "xgboost")),
                Arguments.of("seldon-mirror-50", new SeldonTarget(), Fixtures.canary("seldon", 50, CanaryMode.MIRROR, "onnx")),
                Arguments.of("kubernetes", new DeploymentTarget(), Fixtures.rendering("kubernetes", 1, "xgboost", Fixtures.settings())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void renderedManifestsMatchTheReviewedGoldenFile(String name, ServingTarget target, Rendering rendering) throws IOException {
        matchesGolden(name, Manifests.yaml(target.render(rendering)));
    }

    /** {@code flywheel run k8s_diamond --render} on a kubernetes orchestrator: one Job per step, in dependency order. */
    @Test
    void aRunsJobsMatchTheReviewedGoldenFile() throws IOException {
        String yaml = Fixtures.renderedRun();
        matchesGolden("run-k8s_diamond", yaml);
        assertThat(Manifests.parse(yaml)).extracting(o -> o.getMetadata().getName())
                .containsExactly("load-7c9e6679-1", "sum-7c9e6679-1", "describe-7c9e6679-1", "report-7c9e6679-1");
    }

    private void matchesGolden(String name, String yaml) throws IOException {
        String resource = "golden/" + name + ".yaml";
        if (Boolean.getBoolean("flywheel.golden.update")) {
            Path file = Path.of("src/test/resources", resource);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        }
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("golden file %s (create it with -Dflywheel.golden.update=true)", resource).isNotNull();
            assertThat(yaml).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // What is rendered reads back as the same objects: kubectl apply -f sees exactly this.
        assertThat(Manifests.yaml(Manifests.parse(yaml))).isEqualTo(yaml);
    }
}
