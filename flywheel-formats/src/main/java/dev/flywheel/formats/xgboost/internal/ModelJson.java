package dev.flywheel.formats.xgboost.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
        Model model = new Model();
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

    /** The fields prediction needs, gathered in whatever order the document lists them. */
    private static final class Model {
        String booster;
        String objective;
        String baseScore;
        int numFeature = -1;
        int numClass;
        int numTarget = 1;
        boolean categoricalFeature;
        int[] treeInfo;
        final List<RawTree> trees = new ArrayList<>();
        String unsupportedTree;

        Result toEnsemble() {
            if (booster == null) {
                return new Result.Unsupported("it has no learner.gradient_booster");
            }
            if (!booster.equals("gbtree")) {
                return new Result.Unsupported("its booster is '" + booster + "' (only gbtree is evaluated in Java)");
            }
            if (objective == null) {
                return new Result.Unsupported("it has no learner.objective.name");
            }
            Optional<Objective> obj = Objective.named(objective);
            if (obj.isEmpty()) {
                return new Result.Unsupported("its objective '" + objective + "' is not evaluated in Java");
            }
            if (categoricalFeature) {
                return new Result.Unsupported("it has categorical features");
            }
            if (unsupportedTree != null) {
                return new Result.Unsupported(unsupportedTree);
            }
            if (numTarget > 1) {
                return new Result.Unsupported("it predicts " + numTarget + " targets");
            }
            if (numFeature <= 0) {
                return new Result.Unsupported("learner_model_param.num_feature is missing or " + numFeature);
            }
            int groups = obj.get().multiClass() ? numClass : 1;
            if (groups < 1 || (obj.get().multiClass() && groups < 2)) {
                return new Result.Unsupported("objective '" + objective + "' with num_class " + numClass);
            }
            Float base = parseBaseScore(baseScore);
            if (base == null) {
                return new Result.Unsupported("its base_score '" + baseScore + "' is not one number");
            }
            if (treeInfo == null || treeInfo.length != trees.size()) {
                return new Result.Unsupported("tree_info lists " + (treeInfo == null ? "no" : treeInfo.length)
                        + " groups for " + trees.size() + " trees");
            }
            TreeEnsemble.Builder builder = new TreeEnsemble.Builder(numFeature, groups, obj.get(), base);
            try {
                for (int t = 0; t < trees.size(); t++) {
                    RawTree tree = trees.get(t);
                    builder.addTree(t, treeInfo[t], tree.left, tree.right, tree.splitIndex, tree.splitCondition,
                            tree.defaultLeft);
                }
            } catch (IllegalArgumentException e) {
                return new Result.Unsupported("its trees are inconsistent: " + e.getMessage());
            }
            return new Result.Supported(builder.build());
        }
    }

    private record RawTree(int[] left, int[] right, int[] splitIndex, float[] splitCondition, int[] defaultLeft) {
    }

    /** XGBoost 2.x writes a scalar string ("5E-1"); 3.x may write a one-element vector ("[5E-1]"). */
    private static Float parseBaseScore(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        try {
            float f = Float.parseFloat(s);
            return Float.isFinite(f) ? f : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void readLearner(JsonParser p, Model model) throws IOException {
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

    private static void readBooster(JsonParser p, Model model) throws IOException {
        readObject(p, "gradient_booster", (name, q) -> {
            switch (name) {
                case "name" -> model.booster = q.getText();
                case "model" -> readGbtree(q, model);
                default -> q.skipChildren();
            }
        });
    }

    private static void readGbtree(JsonParser p, Model model) throws IOException {
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

    private static void readTree(JsonParser p, Model model) throws IOException {
        int index = model.trees.size();
        String where = "trees[" + index + "]";
        int[][] ints = new int[4][];
        float[][] conditions = new float[1][];
        readObject(p, where, (name, q) -> {
            switch (name) {
                case "left_children" -> ints[0] = readInts(q, where + "." + name);
                case "right_children" -> ints[1] = readInts(q, where + "." + name);
                case "split_indices" -> ints[2] = readInts(q, where + "." + name);
                case "default_left" -> ints[3] = readInts(q, where + "." + name);
                case "split_conditions" -> conditions[0] = readFloats(q, where + "." + name);
                case "split_type" -> {
                    for (int type : readInts(q, where + "." + name)) {
                        if (type != 0 && model.unsupportedTree == null) {
                            model.unsupportedTree = "tree " + index + " has categorical splits";
                        }
                    }
                }
                case "categories_nodes" -> {
                    if (readInts(q, where + "." + name).length > 0 && model.unsupportedTree == null) {
                        model.unsupportedTree = "tree " + index + " has categorical splits";
                    }
                }
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
        model.trees.add(new RawTree(ints[0], ints[1], ints[2], conditions[0], ints[3]));
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
