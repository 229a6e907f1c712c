package dev.flywheel.spark.train;

import dev.flywheel.formats.xgboost.XgboostFormat;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Distributed training of gradient-boosted regression trees with Spark MLlib (XGBoost4J-Spark has no release for
 * Spark 4 / Scala 2.13), exported as an XGBoost JSON model ({@link XgboostJson}) that Flywheel's registry and
 * prediction server take like any XGBoost model.
 */
public final class SparkGbt {
    private SparkGbt() {
    }

    /**
     * How to train.
     *
     * @param maxIter         trees (boosting rounds)
     * @param maxDepth        depth of each tree
     * @param stepSize        learning rate (XGBoost's eta)
     * @param subsamplingRate the fraction of rows each tree sees
     * @param maxBins         the bins continuous features are cut into
     */
    public record Params(int maxIter, int maxDepth, double stepSize, double subsamplingRate, int maxBins, long seed) {
        public Params {
            if (maxIter < 1 || maxDepth < 1 || maxBins < 2 || !(stepSize > 0 && stepSize <= 1) || !(subsamplingRate > 0 && subsamplingRate <= 1)) {
                throw new IllegalArgumentException("GBT params out of range: " + maxIter + " trees, depth " + maxDepth + ", step " + stepSize
                        + ", subsampling " + subsamplingRate + ", bins " + maxBins);
            }
        }
    }

    /** The rows as MLlib wants them: a {@code features} vector of the columns (as doubles) and the label. */
    public static Dataset<Row> assemble(Dataset<Row> data, List<String> features, String label) {
        List<Column> cols = new ArrayList<>();
        for (String f : features) {
            cols.add(col(f).cast("double").alias(f));
        }
        cols.add(col(label).cast("double").alias(label));
        Dataset<Row> typed = data.select(cols.toArray(Column[]::new));
        return new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features").transform(typed);
    }

    /** Trains on the cluster: every tree level is one distributed pass over {@code data}. */
    public static GBTRegressionModel fit(Dataset<Row> data, List<String> features, String label, Params p) {
        return new GBTRegressor().setLabelCol(label).setFeaturesCol("features").setPredictionCol("prediction")
                .setMaxIter(p.maxIter()).setMaxDepth(p.maxDepth()).setStepSize(p.stepSize()).setSubsamplingRate(p.subsamplingRate())
                .setMaxBins(p.maxBins()).setSeed(p.seed()).setLossType("squared")
                .fit(assemble(data, features, label));
    }

    /** The trained trees as a Flywheel model in XGBoost JSON. */
    public static Model export(GBTRegressionModel model, String name, List<String> features) {
        return new Model(name, XgboostFormat.NAME, XgboostJson.of(model.trees(), model.treeWeights(), features),
                ModelSignature.regression(features), Map.of());
    }
}
