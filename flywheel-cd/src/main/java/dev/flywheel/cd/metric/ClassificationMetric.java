package dev.flywheel.cd.metric;

import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.MetricDirection;

import java.util.Arrays;

/**
 * Classification metrics on class probabilities. Binary (one output = P(class 1), or two outputs): precision, recall
 * and F1 of class 1, with the decision threshold; multiclass (three or more outputs): the predicted class is the most
 * probable, precision/recall/F1 are macro averages over the classes present in the labels or the predictions, ROC AUC
 * is one-vs-rest macro. As scikit-learn computes them (zero_division = 0, log loss clipped at machine epsilon).
 */
public enum ClassificationMetric implements Metric {
    ACCURACY("accuracy", MetricDirection.HIGHER_IS_BETTER),
    PRECISION("precision", MetricDirection.HIGHER_IS_BETTER),
    RECALL("recall", MetricDirection.HIGHER_IS_BETTER),
    F1("f1", MetricDirection.HIGHER_IS_BETTER),
    ROC_AUC("roc_auc", MetricDirection.HIGHER_IS_BETTER),
    LOG_LOSS("log_loss", MetricDirection.LOWER_IS_BETTER);

    private static final double EPSILON = Math.ulp(1.0);
    private final String metricName;
    private final MetricDirection direction;

    ClassificationMetric(String metricName, MetricDirection direction) {
        this.metricName = metricName;
        this.direction = direction;
    }

    @Override
    public String metricName() {
        return metricName;
    }

    @Override
    public MetricDirection direction() {
        return direction;
    }

    @Override
    public double compute(double[] y, Predictions p, double decisionThreshold) {
        Labels.requireRows(y, p);
        int k = p.width() == 1 ? 2 : p.width();
        int[] labels = Labels.classes(y, k);
        return switch (this) {
            case ACCURACY -> accuracy(labels, predicted(p, decisionThreshold));
            case PRECISION, RECALL, F1 -> k == 2 ? binaryScore(labels, predicted(p, decisionThreshold), 1)
                    : macroScore(labels, predicted(p, decisionThreshold), k);
            case ROC_AUC -> k == 2 ? auc(labels, probabilities(p, 1), 1) : macroAuc(labels, p, k);
            case LOG_LOSS -> logLoss(labels, p, k);
        };
    }

    /** The class each row is predicted as. */
    private static int[] predicted(Predictions p, double threshold) {
        int[] out = new int[p.rows()];
        for (int i = 0; i < out.length; i++) {
            if (p.width() <= 2) {
                out[i] = probability(p, i, 1) >= threshold ? 1 : 0;
            } else {
                int best = 0;
                for (int c = 1; c < p.width(); c++) {
                    if (p.get(i, c) > p.get(i, best)) {
                        best = c;
                    }
                }
                out[i] = best;
            }
        }
        return out;
    }

    private static double probability(Predictions p, int row, int cls) {
        if (p.width() == 1) {
            double p1 = p.get(row, 0);
            return cls == 1 ? p1 : 1 - p1;
        }
        return p.get(row, cls);
    }

    private static double[] probabilities(Predictions p, int cls) {
        double[] out = new double[p.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = probability(p, i, cls);
        }
        return out;
    }

    private static double accuracy(int[] y, int[] predicted) {
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == predicted[i]) {
                right++;
            }
        }
        return (double) right / y.length;
    }

    /** Precision, recall or F1 of one class. */
    private double binaryScore(int[] y, int[] predicted, int cls) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < y.length; i++) {
            boolean actual = y[i] == cls;
            boolean said = predicted[i] == cls;
            if (actual && said) {
                tp++;
            } else if (said) {
                fp++;
            } else if (actual) {
                fn++;
            }
        }
        return switch (this) {
            case PRECISION -> tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            case RECALL -> tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            default -> 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
        };
    }

    private double macroScore(int[] y, int[] predicted, int k) {
        boolean[] present = new boolean[k];
        for (int i = 0; i < y.length; i++) {
            present[y[i]] = true;
            present[predicted[i]] = true;
        }
        double sum = 0;
        int n = 0;
        for (int c = 0; c < k; c++) {
            if (present[c]) {
                sum += binaryScore(y, predicted, c);
                n++;
            }
        }
        return sum / n;
    }

    /** The area under the ROC curve of {@code scores} for class {@code cls} vs the rest: Mann-Whitney U with tied ranks averaged. */
    private static double auc(int[] y, double[] scores, int cls) {
        int n = y.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (y[order[t]] == cls) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw FlywheelException.invalid("ROC AUC needs rows of class " + cls + " and of the other classes in the evaluation data; it has "
                    + (positives == 0 ? "none of class " + cls : "only class " + cls) + " (use a larger or stratified evaluation set)");
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static double macroAuc(int[] y, Predictions p, int k) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += auc(y, probabilities(p, c), c);
        }
        return sum / k;
    }

    private static double logLoss(int[] y, Predictions p, int k) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double total = 0;
            for (int c = 0; c < k; c++) {
                total += clip(probability(p, i, c));
            }
            sum -= Math.log(clip(probability(p, i, y[i])) / total);
        }
        return sum / y.length;
    }

    private static double clip(double probability) {
        return Math.min(1 - EPSILON, Math.max(EPSILON, probability));
    }
}
