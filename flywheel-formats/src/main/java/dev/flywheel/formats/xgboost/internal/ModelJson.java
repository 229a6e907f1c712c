package dev.flywheel.formats.xgboost.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads XGBoost's JSON model format (as written by {@code Booster.saveModel(.., "json")} or
 * {@code toByteArray("json")}, XGBoost 1.x-2.x) into a {@link TreeEnsemble}, streaming, keeping only what
 * prediction needs. Anything the Java evaluator cannot reproduce exactly - another booster, objective or split
 * type, several targets, or JSON it does not understand - comes back as {@link Result.Unsupported} with the
 * reason, so the caller can predict natively instead of answering wrongly.
 */
public final class ModelJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ModelJson() {
    }

    /** What reading a model gave: an ensemble to predict with, or why the Java evaluator cannot. */
    public sealed interface Result {
        record Supported(TreeEnsemble ensemble) implements Result {
        }

        record Unsupported(String reason) implements Result {
        }

        /** The document is well-formed but its trees are not: neither Java nor native code may use it. */
        record Invalid(String reason) implements Result {
        }
    }

    /** True when {@code content} starts like a JSON object rather than UBJSON or XGBoost's old binary format. */
    public static boolean looksLikeJson(byte[] content) {
        int i = 0;
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        if (i >= content.length || content[i] != '{') {
            return false;
        }
        // UBJSON objects also open with '{', but the first key is preceded by a length marker, not a quote.
        for (i++; i < content.length; i++) {
            if (!Character.isWhitespace(content[i])) {
                return content[i] == '"' || content[i] == '}';
            }
        }
        return false;
    }

    public static Result read(byte[] json) {
        ModelParts model = new ModelParts();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the document");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("learner")) {
                    readLearner(p, model);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return new Result.Unsupported("its JSON could not be read (" + e.getMessage() + ")");
        }
        return model.toEnsemble();
    }

    private static void readLearner(JsonParser p, ModelParts model) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "learner");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "feature_types" -> {
                    for (String type : readStrings(p, field)) {
                        // "c" marks a categorical feature; splits on it are set-membership tests.
                        model.categoricalFeature |= type.equals("c");
                    }
                }
                case "gradient_booster" -> readBooster(p, model);
                case "learner_model_param" -> readObject(p, field, (name, q) -> {
                    switch (name) {
                        case "base_score" -> model.baseScore = q.getText();
                        case "num_feature" -> model.numFeature = intOf(q, name);
                        case "num_class" -> model.numClass = intOf(q, name);
                        case "num_target" -> model.numTarget = intOf(q, name);
                        default -> q.skipChildren();
                    }
                });
                case "objective" -> readObject(p, field, (name, q) -> {
                    if (name.equals("name")) {
                        model.objective = q.getText();
                    } else {
                        q.skipChildren();
                    }
                });
                default -> p.skipChildren();
            }
        }
    }

    private static void readBooster(JsonParser p, ModelParts model) throws IOException {
        readObject(p, "gradient_booster", (name, q) -> {
            switch (name) {
                case "name" -> model.booster = q.getText();
                case "model" -> readGbtree(q, model);
                default -> q.skipChildren();
            }
        });
    }

    private static void readGbtree(JsonParser p, ModelParts model) throws IOException {
        readObject(p, "gradient_booster.model", (name, q) -> {
            switch (name) {
                case "tree_info" -> model.treeInfo = readInts(q, name);
                case "trees" -> {
                    expect(q.currentToken(), JsonToken.START_ARRAY, name);
                    while (q.nextToken() != JsonToken.END_ARRAY) {
                        readTree(q, model);
                    }
                }
                default -> q.skipChildren();
            }
        });
    }

    private static void readTree(JsonParser p, ModelParts model) throws IOException {
        int index = model.trees.size();
        String where = "trees[" + index + "]";
        int[][] ints = new int[4][];
        float[][] conditions = new float[1][];
        int[][] splitTypes = {new int[0], new int[0]};
        readObject(p, where, (name, q) -> {
            switch (name) {
                case "left_children" -> ints[0] = readInts(q, where + "." + name);
                case "right_children" -> ints[1] = readInts(q, where + "." + name);
                case "split_indices" -> ints[2] = readInts(q, where + "." + name);
                case "default_left" -> ints[3] = readInts(q, where + "." + name);
                case "split_conditions" -> conditions[0] = readFloats(q, where + "." + name);
                case "split_type" -> splitTypes[0] = readInts(q, where + "." + name);
                case "categories_nodes" -> splitTypes[1] = readInts(q, where + "." + name);
                case "tree_param" -> readObject(q, where + ".tree_param", (param, r) -> {
                    if (param.equals("size_leaf_vector")) {
                        int size = intOf(r, param);
                        if (size > 1 && model.unsupportedTree == null) {
                            model.unsupportedTree = "tree " + index + " has vector leaves (multi_output_tree)";
                        }
                    } else {
                        r.skipChildren();
                    }
                });
                default -> q.skipChildren();
            }
        });
        for (int i = 0; i < ints.length; i++) {
            if (ints[i] == null) {
                throw new IllegalArgumentException(where + " has no " + List.of("left_children", "right_children",
                        "split_indices", "default_left").get(i));
            }
        }
        if (conditions[0] == null) {
            throw new IllegalArgumentException(where + " has no split_conditions");
        }
        model.splitTypes(index, splitTypes[0], splitTypes[1]);
        model.trees.add(new ModelParts.RawTree(ints[0], ints[1], ints[2], conditions[0], ints[3]));
    }

    @FunctionalInterface
    private interface FieldReader {
        void read(String name, JsonParser p) throws IOException;
    }

    private static void readObject(JsonParser p, String where, FieldReader reader) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, where);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            reader.read(name, p);
        }
    }

    /** Integers, or booleans as 0/1 (default_left). Numbers in strings are accepted as XGBoost writes params. */
    private static int[] readInts(JsonParser p, String where) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, where);
        int[] out = new int[16];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = switch (t) {
                case VALUE_NUMBER_INT -> p.getIntValue();
                case VALUE_TRUE -> 1;
                case VALUE_FALSE -> 0;
                default -> throw new IllegalArgumentException(where + " holds " + t + ", expected integers");
            };
        }
        return Arrays.copyOf(out, n);
    }

    private static float[] readFloats(JsonParser p, String where) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, where);
        float[] out = new float[16];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw new IllegalArgumentException(where + " holds " + t + ", expected numbers");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            // XGBoost prints the shortest text that round-trips to the float32; parsing it as a float (not a
            // double narrowed to float) gives back exactly that threshold.
            out[n++] = Float.parseFloat(p.getText());
        }
        return Arrays.copyOf(out, n);
    }

    private static List<String> readStrings(JsonParser p, String where) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, where);
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getText());
        }
        return out;
    }

    /** XGBoost writes model params as strings ("12"); accept numbers too. */
    private static int intOf(JsonParser p, String where) throws IOException {
        try {
            return p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : Integer.parseInt(p.getText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is '" + p.getText() + "', expected an integer");
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String where) {
        if (actual != expected) {
            throw new IllegalArgumentException(where + " is " + actual + ", expected " + expected);
        }
    }
}
