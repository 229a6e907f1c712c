package dev.flywheel.client;

import java.util.List;

/**
 * A prediction server's answer to an Open Inference Protocol v2 infer request.
 *
 * @param modelName    the model that answered
 * @param modelVersion the version that answered (a hot swap may change it between two requests)
 * @param id           the request id echoed back, or null
 * @param outputs      the output tensors
 */
public record InferResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
    public InferResponse {
        outputs = List.copyOf(outputs);
    }

    /** The output named {@code name}. */
    public Tensor output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no output '" + name + "'; the outputs are " + outputs.stream().map(Tensor::name).toList()));
    }

    /** The only output; for a model with one. */
    public Tensor output() {
        if (outputs.size() != 1) {
            throw new IllegalStateException("the answer has " + outputs.size() + " outputs " + outputs.stream().map(Tensor::name).toList()
                    + "; name the one you want with output(name)");
        }
        return outputs.getFirst();
    }
}
