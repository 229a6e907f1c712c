package dev.flywheel.formats;

import dev.flywheel.formats.onnx.OnnxFormat;
import dev.flywheel.formats.xgboost.XgboostFormat;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFormatsTest {

    @Test
    void serviceLoaderFindsXgboostAndOnnx() {
        ModelFormats formats = ModelFormats.load();
        assertThat(formats.names()).containsExactly("onnx", "xgboost");
        assertThat(formats.get("xgboost")).isInstanceOf(XgboostFormat.class);
        assertThat(formats.get("onnx")).isInstanceOf(OnnxFormat.class);
        assertThat(formats.contains("pmml")).isFalse();
    }

    @Test
    void unknownFormatNameIsNotFoundAndListsKnownFormats() {
        assertThatThrownBy(() -> ModelFormats.load().get("pmml"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("'pmml'")
                .hasMessageContaining("known formats: onnx, xgboost");
    }

    @Test
    void twoFormatsWithOneNameAreRefused() {
        assertThatThrownBy(() -> ModelFormats.of(new XgboostFormat(), new XgboostFormat()))
                .hasMessageContaining("duplicate model format name 'xgboost'");
    }
}
