package dev.flywheel.spark.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Spark MLlib gradient-boosted regression trees as an XGBoost JSON model ({@code reg:squarederror}, XGBoost
 * 2.1 layout), so the model is served by Flywheel's XGBoost evaluator like any other XGBoost model. MLlib predicts
 * {@code sum(weight_i * tree_i(x))}; each tree's leaves are written already multiplied by its weight, with base score
 * 0. MLlib sends {@code x <= threshold} left, XGBoost {@code x < condition}: the condition is the next float above
 * the threshold. Only continuous splits are written (the trainer declares no categorical features).
 */
public final class XgboostJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private XgboostJson() {
    }

    /** The model's bytes. */
    public static byte[] of(DecisionTreeRegressionModel[] trees, double[] weights, List<String> featureNames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeObjectFieldStart("learner");
            g.writeObjectFieldStart("attributes");
            g.writeEndObject();
            g.writeArrayFieldStart("feature_names");
            for (String f : featureNames) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("feature_types");
            g.writeEndArray();
            g.writeObjectFieldStart("gradient_booster");
            g.writeObjectFieldStart("model");
            g.writeObjectFieldStart("gbtree_model_param");
            g.writeStringField("num_parallel_tree", "1");
            g.writeStringField("num_trees", String.valueOf(trees.length));
            g.writeEndObject();
            g.writeArrayFieldStart("iteration_indptr");
            for (int i = 0; i <= trees.length; i++) {
                g.writeNumber(i);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("tree_info");
            for (int i = 0; i < trees.length; i++) {
                g.writeNumber(0);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("trees");
            for (int i = 0; i < trees.length; i++) {
                tree(g, i, Flat.of(trees[i].rootNode(), weights[i]), featureNames.size());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("name", "gbtree");
            g.writeEndObject();
            g.writeObjectFieldStart("learner_model_param");
            g.writeStringField("base_score", "0E0");
            g.writeStringField("boost_from_average", "1");
            g.writeStringField("num_class", "0");
            g.writeStringField("num_feature", String.valueOf(featureNames.size()));
            g.writeStringField("num_target", "1");
            g.writeEndObject();
            g.writeObjectFieldStart("objective");
            g.writeStringField("name", "reg:squarederror");
            g.writeObjectFieldStart("reg_loss_param");
            g.writeStringField("scale_pos_weight", "1");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("version");
            g.writeNumber(2);
            g.writeNumber(1);
            g.writeNumber(4);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void tree(JsonGenerator g, int id, Flat t, int numFeature) throws IOException {
        int n = t.left.size();
        g.writeStartObject();
        ints(g, "left_children", t.left);
        ints(g, "right_children", t.right);
        ints(g, "parents", t.parent);
        ints(g, "split_indices", t.feature);
        floats(g, "split_conditions", t.condition);
        List<Integer> zeros = new ArrayList<>();
        List<Float> zeroFloats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            zeros.add(0);
            zeroFloats.add(0f);
        }
        ints(g, "split_type", zeros);
        ints(g, "default_left", zeros);
        floats(g, "base_weights", t.weight);
        floats(g, "loss_changes", zeroFloats);
        floats(g, "sum_hessian", t.count);
        ints(g, "categories", List.of());
        ints(g, "categories_nodes", List.of());
        ints(g, "categories_segments", List.of());
        ints(g, "categories_sizes", List.of());
        g.writeNumberField("id", id);
        g.writeObjectFieldStart("tree_param");
        g.writeStringField("num_deleted", "0");
        g.writeStringField("num_feature", String.valueOf(numFeature));
        g.writeStringField("num_nodes", String.valueOf(n));
        g.writeStringField("size_leaf_vector", "1");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void ints(JsonGenerator g, String name, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void floats(JsonGenerator g, String name, List<Float> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (float v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /**
     * One tree as XGBoost's parallel arrays, root first; a node's two children take consecutive indexes (right = left
     * + 1), as XGBoost writes them and the pure-Java evaluator requires.
     */
    private static final class Flat {
        final List<Integer> left = new ArrayList<>();
        final List<Integer> right = new ArrayList<>();
        final List<Integer> parent = new ArrayList<>();
        final List<Integer> feature = new ArrayList<>();
        final List<Float> condition = new ArrayList<>();
        final List<Float> weight = new ArrayList<>();
        final List<Float> count = new ArrayList<>();

        static Flat of(Node root, double treeWeight) {
            Flat f = new Flat();
            f.fill(root, f.reserve(Integer.MAX_VALUE), treeWeight);
            return f;
        }

        /** A slot for one node; filled by {@link #fill}. */
        private int reserve(int parentIndex) {
            int index = left.size();
            left.add(-1);
            right.add(-1);
            parent.add(parentIndex);
            feature.add(0);
            condition.add(0f);
            weight.add(0f);
            count.add(1f); // XGBoost needs the field; prediction does not use it
            return index;
        }

        private void fill(Node node, int index, double treeWeight) {
            float value = (float) (node.prediction() * treeWeight);
            weight.set(index, value);
            switch (node) {
                case LeafNode leaf -> condition.set(index, value);
                case InternalNode internal -> {
                    if (!(internal.split() instanceof ContinuousSplit split)) {
                        throw new IllegalArgumentException("tree has a categorical split; train with continuous features only");
                    }
                    feature.set(index, split.featureIndex());
                    condition.set(index, Math.nextUp((float) split.threshold()));
                    // both children's slots first, so they are consecutive; then each subtree after them
                    int l = reserve(index);
                    int r = reserve(index);
                    left.set(index, l);
                    right.set(index, r);
                    fill(internal.leftChild(), l, treeWeight);
                    fill(internal.rightChild(), r, treeWeight);
                }
                default -> throw new IllegalArgumentException("unknown tree node " + node.getClass().getName());
            }
        }
    }
}
