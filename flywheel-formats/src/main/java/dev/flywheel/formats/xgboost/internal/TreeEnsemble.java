package dev.flywheel.formats.xgboost.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An XGBoost gbtree model as flat arrays, evaluated in plain Java. Immutable, so any number of threads may
 * predict at once; predicting allocates nothing but what the caller passes in.
 *
 * <p>All trees share one node numbering. Nodes are re-laid out breadth-first when built so that a split's right
 * child always sits at {@code left + 1}: one child array instead of two, and unreachable (pruned) nodes vanish.
 * Split rule as in XGBoost: a missing value ({@code NaN}) takes the default branch, otherwise
 * {@code x < threshold} (float32) goes left.
 */
public final class TreeEnsemble {
    private final int features;
    private final int groups;
    private final Objective objective;
    private final float baseMargin;
    /** Trees of group g are {@code roots[groupStart[g] .. groupStart[g + 1])}, in training order. */
    private final int[] groupStart;
    private final int[] roots;
    /** Per node: split feature; ignored for leaves. */
    private final int[] feature;
    /** Per node: split threshold, or the leaf value when {@code child[n] < 0}. */
    private final float[] value;
    /** Per node: index of the left child (the right one is next to it), or -1 for a leaf. */
    private final int[] child;
    /** Per node: where a missing value goes. */
    private final boolean[] defaultLeft;

    private TreeEnsemble(Builder b, int[] groupStart, int[] roots) {
        this.features = b.features;
        this.groups = b.groups;
        this.objective = b.objective;
        this.baseMargin = b.objective.margin(b.baseScore);
        this.groupStart = groupStart;
        this.roots = roots;
        this.feature = b.feature.toArray();
        this.value = b.value.toArray();
        this.child = b.child.toArray();
        int[] dl = b.defaultLeft.toArray();
        this.defaultLeft = new boolean[dl.length];
        for (int i = 0; i < dl.length; i++) {
            defaultLeft[i] = dl[i] != 0;
        }
    }

    /** Input features per row. */
    public int features() {
        return features;
    }

    /** Values per predicted row. */
    public int width() {
        return objective.width(groups);
    }

    public int trees() {
        return roots.length;
    }

    /**
     * Predicts {@code rows} rows of {@code x} (row-major, {@link #features()} columns) into {@code out}
     * ({@code rows * width()} values).
     */
    public void predict(float[] x, int rows, float[] out) {
        int width = width();
        for (int r = 0; r < rows; r++) {
            int in = r * features;
            int o = r * width;
            if (objective == Objective.SOFTMAX) {
                out[o] = argmaxClass(x, in);
            } else {
                for (int g = 0; g < groups; g++) {
                    out[o + g] = margin(x, in, g);
                }
                objective.transform(out, o, groups);
            }
        }
    }

    /** XGBoost sums a row's margin in float32: base margin first, then every tree of the group in order. */
    private float margin(float[] x, int in, int group) {
        float sum = baseMargin;
        for (int t = groupStart[group], end = groupStart[group + 1]; t < end; t++) {
            sum += leaf(roots[t], x, in);
        }
        return sum;
    }

    private float argmaxClass(float[] x, int in) {
        int best = 0;
        float bestMargin = margin(x, in, 0);
        for (int g = 1; g < groups; g++) {
            float m = margin(x, in, g);
            if (m > bestMargin) {
                bestMargin = m;
                best = g;
            }
        }
        return best;
    }

    private float leaf(int node, float[] x, int in) {
        int n = node;
        int left;
        while ((left = child[n]) >= 0) {
            float v = x[in + feature[n]];
            float threshold = value[n];
            // NaN fails every comparison: "!(v >= t)" sends it left, "v < t" sends it right.
            boolean goLeft = defaultLeft[n] ? !(v >= threshold) : v < threshold;
            n = goLeft ? left : left + 1;
        }
        return value[n];
    }

    /** Collects trees as XGBoost stores them (node arrays indexed by node id) and lays them out flat. */
    static final class Builder {
        private final int features;
        private final int groups;
        private final Objective objective;
        private final float baseScore;
        private final List<Integer> treeGroups = new ArrayList<>();
        private final List<Integer> treeRoots = new ArrayList<>();
        private final IntList feature = new IntList();
        private final FloatList value = new FloatList();
        private final IntList child = new IntList();
        private final IntList defaultLeft = new IntList();

        Builder(int features, int groups, Objective objective, float baseScore) {
            this.features = features;
            this.groups = groups;
            this.objective = objective;
            this.baseScore = baseScore;
        }

        /**
         * Adds one tree. Arrays are indexed by XGBoost's node id; node 0 is the root; {@code left[n] == -1}
         * marks a leaf whose value is {@code splitCondition[n]}.
         *
         * @throws IllegalArgumentException naming the tree and node when the arrays do not form a tree
         */
        void addTree(int treeIndex, int group, int[] left, int[] right, int[] splitIndex, float[] splitCondition,
                     int[] defaultLeftFlags) {
            int nodes = left.length;
            if (nodes == 0 || right.length != nodes || splitIndex.length != nodes || splitCondition.length != nodes
                    || defaultLeftFlags.length != nodes) {
                throw new IllegalArgumentException("tree " + treeIndex + " has node arrays of different lengths ("
                        + nodes + " left_children, " + right.length + " right_children, " + splitIndex.length
                        + " split_indices, " + splitCondition.length + " split_conditions, "
                        + defaultLeftFlags.length + " default_left)");
            }
            if (group < 0 || group >= groups) {
                throw new IllegalArgumentException("tree " + treeIndex + " belongs to output group " + group
                        + " but the model has " + groups);
            }
            int base = child.size();
            // Breadth-first: queue[i] is the XGBoost id of flat node base + i.
            int[] queue = new int[nodes];
            boolean[] seen = new boolean[nodes];
            queue[0] = 0;
            seen[0] = true;
            int placed = 1;
            for (int i = 0; i < placed; i++) {
                int id = queue[i];
                if (left[id] == -1) {
                    feature.add(0);
                    value.add(splitCondition[id]);
                    child.add(-1);
                    defaultLeft.add(0);
                    continue;
                }
                int l = left[id];
                int r = right[id];
                if (l < 0 || l >= nodes || r < 0 || r >= nodes || seen[l] || seen[r] || l == r) {
                    throw new IllegalArgumentException("tree " + treeIndex + " node " + id + " has children "
                            + l + " and " + r + ", which are not unvisited nodes of its " + nodes);
                }
                if (r != l + 1) {
                    // XGBoost's predictor goes to left + 1 for "not less than", whatever right_children says;
                    // it writes siblings adjacently, so anything else is a corrupt tree it would mispredict.
                    throw new IllegalArgumentException("tree " + treeIndex + " node " + id + " has children " + l
                            + " and " + r + "; XGBoost writes the right child at left + 1");
                }
                if (splitIndex[id] < 0 || splitIndex[id] >= features) {
                    throw new IllegalArgumentException("tree " + treeIndex + " node " + id + " splits on feature "
                            + splitIndex[id] + " but the model has " + features + " features");
                }
                seen[l] = true;
                seen[r] = true;
                feature.add(splitIndex[id]);
                value.add(splitCondition[id]);
                child.add(base + placed);
                defaultLeft.add(defaultLeftFlags[id] != 0 ? 1 : 0);
                queue[placed++] = l;
                queue[placed++] = r;
            }
            treeRoots.add(base);
            treeGroups.add(group);
        }

        TreeEnsemble build() {
            int[] groupStart = new int[groups + 1];
            for (int g : treeGroups) {
                groupStart[g + 1]++;
            }
            for (int g = 0; g < groups; g++) {
                groupStart[g + 1] += groupStart[g];
            }
            int[] next = groupStart.clone();
            int[] roots = new int[treeRoots.size()];
            for (int t = 0; t < roots.length; t++) {
                roots[next[treeGroups.get(t)]++] = treeRoots.get(t);
            }
            return new TreeEnsemble(this, groupStart, roots);
        }
    }

    private static final class IntList {
        private int[] items = new int[256];
        private int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }

    private static final class FloatList {
        private float[] items = new float[256];
        private int size;

        void add(float v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
