package dev.flywheel.formats.xgboost.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of an XGBoost model that prediction needs, gathered by {@link ModelJson} or {@link ModelUbj} in
 * whatever order the document lists them, and the one place that decides whether the Java evaluator can use them.
 */
final class ModelParts {
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
    /** Set when a tree contradicts itself: the model must not reach native code either. */
    String invalidTree;

    /**
     * Records tree {@code index}'s split types. A categorical split (type 1) must be listed in
     * categories_nodes; one that is not is a corrupt tree (XGBoost would index an empty category set).
     */
    void splitTypes(int index, int[] splitType, int[] categoriesNodes) {
        Set<Integer> listed = new HashSet<>();
        for (int n : categoriesNodes) {
            listed.add(n);
        }
        for (int n = 0; splitType != null && n < splitType.length; n++) {
            if (splitType[n] != 0 && !listed.contains(n)) {
                if (invalidTree == null) {
                    invalidTree = "tree " + index + " node " + n + " has split_type " + splitType[n]
                            + " but no categories";
                }
                return;
            }
        }
        if (!listed.isEmpty() && unsupportedTree == null) {
            unsupportedTree = "tree " + index + " has categorical splits";
        }
    }

    ModelJson.Result toEnsemble() {
        if (invalidTree != null) {
            return new ModelJson.Result.Invalid(invalidTree);
        }
        if (booster == null) {
            return new ModelJson.Result.Unsupported("it has no learner.gradient_booster");
        }
        if (!booster.equals("gbtree")) {
            return new ModelJson.Result.Unsupported("its booster is '" + booster + "' (only gbtree is evaluated in Java)");
        }
        if (objective == null) {
            return new ModelJson.Result.Unsupported("it has no learner.objective.name");
        }
        Optional<Objective> obj = Objective.named(objective);
        if (obj.isEmpty()) {
            return new ModelJson.Result.Unsupported("its objective '" + objective + "' is not evaluated in Java");
        }
        if (categoricalFeature) {
            return new ModelJson.Result.Unsupported("it has categorical features");
        }
        if (unsupportedTree != null) {
            return new ModelJson.Result.Unsupported(unsupportedTree);
        }
        if (numTarget > 1) {
            return new ModelJson.Result.Unsupported("it predicts " + numTarget + " targets");
        }
        if (numFeature <= 0) {
            return new ModelJson.Result.Unsupported("learner_model_param.num_feature is missing or " + numFeature);
        }
        int groups = obj.get().multiClass() ? numClass : 1;
        if (groups < 1 || (obj.get().multiClass() && groups < 2)) {
            return new ModelJson.Result.Unsupported("objective '" + objective + "' with num_class " + numClass);
        }
        Float base = parseBaseScore(baseScore);
        if (base == null) {
            return new ModelJson.Result.Unsupported("its base_score '" + baseScore + "' is not one number");
        }
        if (treeInfo == null || treeInfo.length != trees.size()) {
            return new ModelJson.Result.Unsupported("tree_info lists " + (treeInfo == null ? "no" : treeInfo.length)
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
            return new ModelJson.Result.Invalid("its trees are inconsistent: " + e.getMessage());
        }
        return new ModelJson.Result.Supported(builder.build());
    }

    record RawTree(int[] left, int[] right, int[] splitIndex, float[] splitCondition, int[] defaultLeft) {
    }

    /** XGBoost 2.x writes a scalar string ("5E-1"); 3.x may write a one-element vector ("[5E-1]"). */
    static Float parseBaseScore(String text) {
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
}
