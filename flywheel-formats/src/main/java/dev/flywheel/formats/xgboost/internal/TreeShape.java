package dev.flywheel.formats.xgboost.internal;

import java.util.List;
import java.util.Map;

/**
 * The consistency XGBoost 2.1's {@code RegTree::LoadModel} assumes but does not check: every node array has
 * {@code tree_param.num_nodes} entries, child and parent ids are node ids, split features exist, category
 * segments stay inside the category list. A tree of a well-formed document that breaks one of these crashed
 * XGBoost4J in our bit-flip fuzzing, so such a document must never reach native code.
 */
final class TreeShape {
    /** XGBoost writes the root's parent as {@code kInvalidNodeId} with the left-child bit cleared. */
    private static final long ROOT_PARENT = Integer.MAX_VALUE;
    private static final List<String> NODE_ARRAYS = List.of("loss_changes", "sum_hessian", "base_weights",
            "left_children", "right_children", "parents", "split_indices", "split_conditions", "default_left");

    private TreeShape() {
    }

    /** Why tree {@code index} is inconsistent, or {@code null} when it is not. */
    static String problem(Map<String, Object> tree, int index, int numFeature, int numTarget) {
        String where = "tree " + index;
        if (number(tree.get("id")) != index) {
            // XGBoost stores each tree at trees[id]; a wrong id leaves a slot empty or writes past the end.
            return where + " has id " + tree.get("id") + "; XGBoost writes each tree's position as its id";
        }
        if (!(tree.get("tree_param") instanceof Map<?, ?> param)) {
            return where + " has no tree_param";
        }
        long nodes = number(param.get("num_nodes"));
        long deleted = number(param.get("num_deleted"));
        long leafVector = param.containsKey("size_leaf_vector") ? number(param.get("size_leaf_vector")) : 1;
        if (nodes < 1 || nodes > Integer.MAX_VALUE) {
            return where + " has tree_param.num_nodes '" + param.get("num_nodes") + "'";
        }
        if (deleted < 0 || deleted > nodes) {
            return where + " has tree_param.num_deleted '" + param.get("num_deleted") + "' for " + nodes + " nodes";
        }
        if (leafVector < 0) {
            return where + " has tree_param.size_leaf_vector '" + param.get("size_leaf_vector") + "'";
        }
        if (leafVector > 1) {
            if (leafVector != numTarget) {
                return where + " has vector leaves of " + leafVector + " but the model predicts " + numTarget
                        + " target(s)";
            }
            return null; // multi-target trees use other array sizes; the Java evaluator does not read them
        }
        for (String name : NODE_ARRAYS) {
            int length = length(tree.get(name));
            if (length != nodes) {
                return where + " has " + (length < 0 ? "no " + name + " array" : length + " " + name)
                        + " for tree_param.num_nodes " + nodes;
            }
        }
        long[] left = longs(tree.get("left_children"));
        long[] right = longs(tree.get("right_children"));
        long[] parents = longs(tree.get("parents"));
        long[] features = longs(tree.get("split_indices"));
        if (left == null || right == null || parents == null || features == null) {
            return where + " has children, parents or split_indices that are not integer arrays";
        }
        for (int n = 0; n < nodes; n++) {
            if (left[n] < -1 || left[n] >= nodes || right[n] < -1 || right[n] >= nodes) {
                return where + " node " + n + " has children " + left[n] + " and " + right[n] + " of " + nodes
                        + " nodes";
            }
            if (parents[n] != ROOT_PARENT && parents[n] != -1 && (parents[n] < 0 || parents[n] >= nodes)) {
                return where + " node " + n + " has parent " + parents[n] + " of " + nodes + " nodes";
            }
            if (left[n] != -1 && (features[n] < 0 || (numFeature > 0 && features[n] >= numFeature))) {
                return where + " node " + n + " splits on feature " + features[n] + " of " + numFeature;
            }
        }
        return categories(tree, where, nodes);
    }

    private static String categories(Map<String, Object> tree, String where, long nodes) {
        if (!tree.containsKey("split_type")) {
            return null;
        }
        if (length(tree.get("split_type")) != nodes) {
            return where + " has " + length(tree.get("split_type")) + " split_type for " + nodes + " nodes";
        }
        long[] segments = longs(tree.get("categories_segments"));
        long[] sizes = longs(tree.get("categories_sizes"));
        long[] catNodes = longs(tree.get("categories_nodes"));
        int categories = length(tree.get("categories"));
        if (segments == null || sizes == null || catNodes == null || categories < 0
                || segments.length != sizes.length || sizes.length != catNodes.length) {
            return where + " has categories_segments, categories_sizes and categories_nodes that do not match";
        }
        for (int i = 0; i < segments.length; i++) {
            if (catNodes[i] < 0 || catNodes[i] >= nodes || segments[i] < 0 || sizes[i] < 0
                    || segments[i] + sizes[i] > categories) {
                return where + " categorical split " + i + " points outside its " + categories + " categories";
            }
        }
        return null;
    }

    /**
     * Why the gbtree model's bookkeeping disagrees with its {@code trees} count, or {@code null}: XGBoost sizes
     * its tree table from {@code num_trees} and walks {@code iteration_indptr} without checking either.
     */
    static String modelProblem(Map<String, Object> gbtree, int trees) {
        if (gbtree.get("gbtree_model_param") instanceof Map<?, ?> param && number(param.get("num_trees")) != trees) {
            return "gbtree_model_param.num_trees is '" + param.get("num_trees") + "' but the model has " + trees
                    + " trees";
        }
        int treeInfo = length(gbtree.get("tree_info"));
        if (treeInfo != trees) {
            return "tree_info lists " + treeInfo + " groups for " + trees + " trees";
        }
        if (gbtree.containsKey("iteration_indptr")) {
            long[] ptr = longs(gbtree.get("iteration_indptr"));
            if (ptr == null || ptr.length == 0 || ptr[0] != 0 || ptr[ptr.length - 1] != trees) {
                return "iteration_indptr does not run from 0 to the " + trees + " trees";
            }
            for (int i = 1; i < ptr.length; i++) {
                if (ptr[i] < ptr[i - 1]) {
                    return "iteration_indptr decreases at entry " + i;
                }
            }
        }
        return null;
    }

    private static long number(Object value) {
        try {
            return switch (value) {
                case Long l -> l;
                case String s -> Long.parseLong(s.strip());
                case null, default -> -1;
            };
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int length(Object array) {
        return switch (array) {
            case float[] a -> a.length;
            case double[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case List<?> l -> l.size();
            case null, default -> -1;
        };
    }

    private static long[] longs(Object array) {
        return switch (array) {
            case int[] a -> {
                long[] out = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i];
                }
                yield out;
            }
            case long[] a -> a;
            case List<?> l -> {
                long[] out = new long[l.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = l.get(i) instanceof Long v ? v : Long.MIN_VALUE;
                }
                yield out;
            }
            case null, default -> null;
        };
    }
}
