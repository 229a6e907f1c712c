package dev.flywheel.registry;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureFilesTest {
    @TempDir
    Path dir;

    @Test
    void featuresAreNamesOrObjectsWithTypeAndNullable() throws Exception {
        Path file = Files.writeString(dir.resolve("sig.json"),
                "{\"inputs\": [\"a\", {\"name\": \"b\", \"type\": \"INT64\", \"nullable\": true}], \"outputs\": [\"prediction\"]}");
        assertThat(SignatureFiles.read(file)).isEqualTo(new ModelSignature(
                List.of(Feature.fp32("a"), new Feature("b", FeatureType.INT64, true)), List.of(Feature.fp32("prediction"))));
    }

    @Test
    void badSignatureFilesNameTheFileAndTheEntry() throws Exception {
        Path noInputs = Files.writeString(dir.resolve("empty.json"), "{}");
        assertThatThrownBy(() -> SignatureFiles.read(noInputs)).hasMessageContaining("empty.json").hasMessageContaining("\"inputs\"");
        Path badType = Files.writeString(dir.resolve("type.json"), "{\"inputs\": [{\"name\": \"a\", \"type\": \"float\"}]}");
        assertThatThrownBy(() -> SignatureFiles.read(badType)).hasMessageContaining("inputs[0] has type \"float\"").hasMessageContaining("fp32");
        Path duplicate = Files.writeString(dir.resolve("dup.json"), "{\"inputs\": [\"a\", \"a\"]}");
        assertThatThrownBy(() -> SignatureFiles.read(duplicate)).hasMessageContaining("duplicate input feature 'a'");
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{inputs: ");
        assertThatThrownBy(() -> SignatureFiles.read(notJson))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> SignatureFiles.read(dir.resolve("missing.json")))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
