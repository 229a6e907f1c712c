package dev.flywheel.kubernetes.internal;

import dev.flywheel.deploy.DeploymentConfig;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The folder a model runtime of KServe or Seldon reads a version from, as keys under the artifact store's prefix.
 * A content-addressed blob ({@code blobs/ab/<sha256>}) has no name a runtime looks for, so a keyed serving copy is
 * published beside it, one folder per model version and runtime layout:
 *
 * <pre>
 * serving/&lt;model&gt;/&lt;version&gt;/xgboost/model.{bst|json|ubj}          KServe xgboost: xgbserver (or MLServer) loads the one
 *                                                                  file with a model extension in its storage folder
 * serving/&lt;model&gt;/&lt;version&gt;/mlserver/model.{bst|json|ubj}         Seldon xgboost: MLServer looks for model.{json|ubj|bst}
 * serving/&lt;model&gt;/&lt;version&gt;/mlserver/model-settings.json          ... and is told the runtime class by model-settings.json
 * serving/&lt;model&gt;/&lt;version&gt;/triton/&lt;model&gt;/1/model.onnx         Triton (KServe onnx: storageUri = triton/, the model
 * serving/&lt;model&gt;/&lt;version&gt;/triton/&lt;model&gt;/config.pbtxt         repository; Seldon onnx: storageUri = triton/&lt;model&gt;/)
 * </pre>
 *
 * KServe's folder holds nothing but the model file because xgbserver refuses a folder with two files of model
 * extensions (and model-settings.json is one). {@code config.pbtxt} names only the backend: Triton completes inputs and
 * outputs from the ONNX graph, and leaving out the name lets Seldon (which renames the folder) and KServe share it.
 * Pure: the I/O is the {@link StorageLocator}'s.
 *
 * @param storageFolder the key of the folder {@code storageUri} names (ends with '/')
 * @param modelKey      the key of the model file
 * @param extras        generated files to publish beside it, by key
 */
public record ServingLayout(String storageFolder, String modelKey, Map<String, String> extras) {

    /** The layout {@code flavor} needs for {@code c}'s format, or empty when the flavor serves the blob as it is. */
    static Optional<ServingLayout> of(String flavor, DeploymentConfig c, Extension extension) {
        String base = "serving/" + segment(c.modelName()) + "/" + c.modelVersion() + "/";
        String format = c.format().toLowerCase(Locale.ROOT);
        return switch (flavor + "/" + format) {
            case KServeTarget.FLAVOR + "/xgboost" -> Optional.of(new ServingLayout(base + "xgboost/",
                    base + "xgboost/model." + extension.suffix, Map.of()));
            case SeldonTarget.FLAVOR + "/xgboost" -> Optional.of(new ServingLayout(base + "mlserver/", base + "mlserver/model." + extension.suffix,
                    Map.of(base + "mlserver/model-settings.json", "{\n  \"implementation\": \"mlserver_xgboost.XGBoostModel\",\n"
                            + "  \"parameters\": {\n    \"uri\": \"./model." + extension.suffix + "\"\n  }\n}\n")));
            case KServeTarget.FLAVOR + "/onnx", SeldonTarget.FLAVOR + "/onnx" -> {
                String model = base + "triton/" + segment(c.modelName()) + "/";
                Map<String, String> extras = new LinkedHashMap<>();
                extras.put(model + "config.pbtxt", "backend: \"onnxruntime\"\n");
                yield Optional.of(new ServingLayout(flavor.equals(KServeTarget.FLAVOR) ? base + "triton/" : model, model + "1/model.onnx",
                        extras));
            }
            default -> Optional.empty();
        };
    }

    /** The model file's extension, which XGBoost runtimes pick the parser by. */
    enum Extension {
        BST("bst"), JSON("json"), UBJ("ubj");

        /** The file name's extension. */
        final String suffix;

        Extension(String suffix) {
            this.suffix = suffix;
        }

        /**
         * What XGBoost's {@code save_model} wrote, from the first bytes: JSON and UBJSON both open an object with
         * '{', but JSON's first key starts with a quote and UBJSON's with a length marker; the legacy binary format
         * opens with no '{'. Formats other than XGBoost's get BST, which no layout but XGBoost's uses.
         */
        static Extension sniff(byte[] head) {
            int i = skipSpace(head, 0);
            if (i >= head.length || head[i] != '{') {
                return BST;
            }
            int next = skipSpace(head, i + 1);
            boolean json = next < head.length && (head[next] == '"' || head[next] == '}');
            return json ? JSON : UBJ;
        }

        private static int skipSpace(byte[] b, int from) {
            int i = from;
            while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
                i++;
            }
            return i;
        }
    }

    /** A model name as a key segment and Triton model folder: registry names already are ([A-Za-z0-9_.-]). */
    static String segment(String modelName) {
        String s = modelName.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.equals(".") || s.equals("..") ? s.replace('.', '_') : s;
    }
}
