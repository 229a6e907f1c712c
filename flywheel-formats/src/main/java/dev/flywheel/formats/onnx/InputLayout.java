package dev.flywheel.formats.onnx;

import java.util.List;

/** How a batch's columns are fed to an ONNX graph's inputs. */
sealed interface InputLayout {

    /** One float tensor {@code [N, k]} holding every feature: the batch is passed as it is. */
    record SingleTensor(String inputName) implements InputLayout {
    }

    /**
     * One float tensor per feature, {@code [N]} or {@code [N, 1]}: column {@code columns[i]} of the batch feeds
     * input {@code names[i]}.
     */
    record PerFeature(List<String> names, int[] columns, List<long[]> shapes) implements InputLayout {
    }

    /** The graph's own tensors, each fed from {@code columns} consecutive columns starting at {@code firstColumn}. */
    record Tensors(List<Feed> feeds) implements InputLayout {
    }

    /** One input tensor: its row shape is {@code rowShape} (empty for {@code [N]}), the batch dimension added in front. */
    record Feed(String name, Element element, int firstColumn, int columns, long[] rowShape) {
    }
}
