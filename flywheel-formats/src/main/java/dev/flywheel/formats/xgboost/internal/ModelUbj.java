package dev.flywheel.formats.xgboost.internal;

import java.util.List;
import java.util.Map;

/**
 * Reads XGBoost's UBJSON model format ({@code .ubj}, XGBoost's default since 2.0; {@code toByteArray("ubj")})
 * into the same {@link ModelParts} that {@link ModelJson} fills from JSON, without native code. The whole
 * document is parsed first ({@link Ubjson}), so a truncated or malformed file throws {@link MalformedModel}
 * with the byte offset; a well-formed document the evaluator cannot use comes back as
 * {@link ModelJson.Result.Unsupported}, a document with contradictory trees as {@link ModelJson.Result.Invalid}.
 */
public final class ModelUbj {
    private ModelUbj() {
    }

    /** @throws MalformedModel when the bytes are not one complete UBJSON document */
    public static ModelJson.Result read(byte[] ubj) {
        Object document = Ubjson.read(ubj);
        ModelParts model = new ModelParts();
        try {
            Map<String, Object> learner = object(object(document, "the document").get("learner"), "learner");
            if (learner.get("feature_types") instanceof List<?> types) {
                // "c" marks a categorical feature; splits on it are set-membership tests.
                model.categoricalFeature = types.contains("c");
            }
            if (learner.get("learner_model_param") instanceof Map<?, ?> param) {
                model.baseScore = param.get("base_score") instanceof String s ? s : null;
                model.numFeature = intOf(param.get("num_feature"), "num_feature", -1);
                model.numClass = intOf(param.get("num_class"), "num_class", 0);
                model.numTarget = intOf(param.get("num_target"), "num_target", 1);
            }
            if (learner.get("objective") instanceof Map<?, ?> objective && objective.get("name") instanceof String n) {
                model.objective = n;
            }
            if (learner.get("gradient_booster") instanceof Map<?, ?> booster) {
                model.booster = booster.get("name") instanceof String n ? n : null;
                if ("gbtree".equals(model.booster)) {
                    readGbtree(object(booster.get("model"), "gradient_booster.model"), model);
                } else if ("dart".equals(model.booster) && booster.get("gbtree") instanceof Map<?, ?> gbtree) {
                    // Dart predicts natively, but its trees must be as consistent as gbtree's before they get there.
                    ModelParts shapeOnly = new ModelParts();
                    shapeOnly.numFeature = model.numFeature;
                    shapeOnly.numTarget = model.numTarget;
                    readGbtree(object(gbtree.get("model"), "gradient_booster.gbtree.model"), shapeOnly);
                    model.invalidTree = shapeOnly.invalidTree;
                }
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new ModelJson.Result.Unsupported("its UBJSON has an unexpected shape (" + e.getMessage() + ")");
        }
        return model.toEnsemble();
    }

    private static void readGbtree(Map<String, Object> gbtree, ModelParts model) {
        model.treeInfo = ints(gbtree.get("tree_info"), "tree_info");
        Object trees = gbtree.get("trees");
        if (!(trees instanceof List<?> list)) {
            throw new IllegalArgumentException("gradient_booster.model.trees is " + kind(trees) + ", expected an array");
        }
        String problem = TreeShape.modelProblem(gbtree, list.size());
        if (problem != null) {
            model.invalidTree = problem;
            return;
        }
        for (int t = 0; t < list.size(); t++) {
            String where = "trees[" + t + "]";
            Map<String, Object> tree = object(list.get(t), where);
            problem = TreeShape.problem(tree, t, model.numFeature, model.numTarget);
            if (problem != null) {
                model.invalidTree = problem;
                return;
            }
            if (tree.get("tree_param") instanceof Map<?, ?> param
                    && intOf(param.get("size_leaf_vector"), "size_leaf_vector", 1) > 1 && model.unsupportedTree == null) {
                model.unsupportedTree = "tree " + t + " has vector leaves (multi_output_tree)";
            }
            int[] left = required(tree, "left_children", where, model);
            int[] right = required(tree, "right_children", where, model);
            int[] splitIndex = required(tree, "split_indices", where, model);
            int[] defaultLeft = required(tree, "default_left", where, model);
            Object conditions = tree.get("split_conditions");
            float[] splitCondition = floats(conditions, where + ".split_conditions");
            if (splitCondition == null && model.invalidTree == null) {
                model.invalidTree = where + " has no split_conditions";
            }
            model.splitTypes(t, ints(tree.get("split_type"), where + ".split_type"),
                    orEmpty(ints(tree.get("categories_nodes"), where + ".categories_nodes")));
            if (model.invalidTree == null) {
                model.trees.add(new ModelParts.RawTree(left, right, splitIndex, splitCondition, defaultLeft));
            }
        }
    }

    /** A node array every tree has; missing means the tree is corrupt, not a model kind we skip. */
    private static int[] required(Map<String, Object> tree, String name, String where, ModelParts model) {
        int[] a = ints(tree.get(name), where + "." + name);
        if (a == null && model.invalidTree == null) {
            model.invalidTree = where + " has no " + name;
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(where + " is " + kind(value) + ", expected an object");
    }

    /** Integer node arrays: XGBoost writes int32 typed arrays, uint8 for flags; plain arrays are accepted too. */
    private static int[] ints(Object value, String where) {
        return switch (value) {
            case null -> null;
            case int[] a -> a;
            case long[] a -> {
                int[] out = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = Math.toIntExact(a[i]);
                }
                yield out;
            }
            case List<?> list -> {
                int[] out = new int[list.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = switch (list.get(i)) {
                        case Long l -> Math.toIntExact(l);
                        case Boolean b -> b ? 1 : 0;
                        default -> throw new IllegalArgumentException(where + "[" + i + "] is "
                                + kind(list.get(i)) + ", expected an integer");
                    };
                }
                yield out;
            }
            default -> throw new IllegalArgumentException(where + " is " + kind(value) + ", expected integers");
        };
    }

    private static float[] floats(Object value, String where) {
        return switch (value) {
            case null -> null;
            case float[] a -> a;
            case double[] a -> {
                float[] out = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = (float) a[i];
                }
                yield out;
            }
            case List<?> list -> {
                float[] out = new float[list.size()];
                for (int i = 0; i < out.length; i++) {
                    if (!(list.get(i) instanceof Number n)) {
                        throw new IllegalArgumentException(where + "[" + i + "] is " + kind(list.get(i))
                                + ", expected a number");
                    }
                    out[i] = n.floatValue();
                }
                yield out;
            }
            default -> throw new IllegalArgumentException(where + " is " + kind(value) + ", expected numbers");
        };
    }

    private static int[] orEmpty(int[] a) {
        return a == null ? new int[0] : a;
    }

    /** XGBoost writes model params as strings ("12"); accept numbers too. */
    private static int intOf(Object value, String where, int absent) {
        try {
            return switch (value) {
                case null -> absent;
                case Long l -> Math.toIntExact(l);
                case String s -> Integer.parseInt(s.strip());
                default -> throw new IllegalArgumentException(where + " is " + kind(value) + ", expected an integer");
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(where + " is '" + value + "', expected an integer");
        }
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "missing or null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
