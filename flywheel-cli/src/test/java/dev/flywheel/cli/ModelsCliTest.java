package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.xgboost.XgboostTrainer;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flywheel models ...} in-process against a real project: tables, JSON, messages and exit codes. */
class ModelsCliTest {
    @TempDir
    Path dir;


    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    CliResult ok(String... args) {
        CliResult r = flywheel(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** A real XGBoost regressor of y = 2a - b + c on synthetic rows, saved as a file. */
    Path xgboostFile(String name, int rounds) throws Exception {
        SplittableRandom random = new SplittableRandom(rounds);
        int rows = 200;
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                x[r * 3 + c] = (float) random.nextDouble();
            }
            y[r] = 2 * x[r * 3] - x[r * 3 + 1] + x[r * 3 + 2];
        }
        byte[] bytes = XgboostTrainer.regression(Map.of("max_depth", 3, "nthread", 1), rounds)
                .fit(new FeatureBatch(rows, 3, x), y, ModelSignature.regression(List.of("a", "b", "c")), "bike").content();
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void importPromoteAliasCompareRollbackDeleteThroughTheCli() throws Exception {
        ok("init");
        assertThat(ok("models", "list").out()).contains("No models yet");

        Path v1 = xgboostFile("v1.ubj", 5);
        Path v2 = xgboostFile("v2.ubj", 30);
        assertThat(ok("models", "import", "bike", "--xgboost", v1.toString(), "--features", "a,b,c", "--metric", "rmse=0.30",
                "--actor", "alice").out()).contains("as model bike version 1 (xgboost");
        ok("models", "import", "bike", "--xgboost", v2.toString(), "--features", "a,b,c", "--metric", "rmse=0.10", "--actor", "alice");
        Path onnx = Path.of(getClass().getResource("/onnx/linear_regressor.onnx").toURI());
        ok("models", "import", "lin", "--onnx", onnx.toString(), "--features", "a,b,c");

        List<String> list = ok("models", "list").out().lines().toList();
        assertThat(list.getFirst()).startsWith("NAME").contains("VERSIONS").contains("PRODUCTION");
        assertThat(list).hasSize(3);
        assertThat(list.get(1)).startsWith("bike").contains(" 2 ");

        List<String> versions = ok("models", "versions", "bike").out().lines().toList();
        assertThat(versions).hasSize(3);
        assertThat(versions.get(0)).startsWith("VERSION").contains("STAGE").contains("METRICS");
        assertThat(versions.get(1).indexOf("none")).as("columns are aligned").isEqualTo(versions.get(0).indexOf("STAGE"));

        assertThat(ok("models", "describe", "bike", "1").out()).contains("Stage:        none").contains("Inputs:       a:fp32, b:fp32, c:fp32")
                .contains("Metrics:      rmse=0.3000").contains("imported from " + v1.toAbsolutePath()).contains("by alice");

        assertThat(ok("models", "promote", "bike", "1", "--stage", "production").out()).contains("Model bike version 1 is now production.");
        assertThat(ok("models", "promote", "bike", "2", "--stage", "Production", "--actor", "bob").out())
                .contains("Model bike version 2 is now production (version 1 archived).");

        CliResult archived = flywheel("models", "promote", "bike", "1", "--stage", "production");
        assertThat(archived.exit()).isEqualTo(4);
        assertThat(archived.err()).contains("error: Version 1 of model 'bike' is archived").contains("flywheel models rollback bike")
                .doesNotContain("\tat ");

        CliResult deleteProduction = flywheel("models", "delete", "bike", "2", "-y");
        assertThat(deleteProduction.exit()).isEqualTo(4);
        assertThat(deleteProduction.err()).contains("is in production").contains("promote another version first");

        ok("models", "alias", "bike", "1", "champion");
        ok("models", "alias", "bike", "2", "@champion");
        assertThat(ok("models", "describe", "bike", "@champion").out()).contains("Version:      2").contains("Aliases:      @champion");
        JsonNode production = new ObjectMapper().readTree(ok("models", "describe", "bike", "--stage", "production", "--json").out());
        assertThat(production.get("version").asInt()).isEqualTo(2);
        assertThat(production.get("stage").asText()).isEqualTo("PRODUCTION");
        assertThat(production.at("/lineage/kind").asText()).isEqualTo("import");
        assertThat(production.at("/file/sha256").asText()).hasSize(64);

        List<String> compare = ok("models", "compare", "bike", "2", "1").out().lines().toList();
        assertThat(compare.get(0)).startsWith("METRIC").contains("V2").contains("V1").contains("BETTER");
        assertThat(compare.get(1)).startsWith("rmse").endsWith("V2");

        assertThat(ok("models", "rollback", "bike", "--actor", "carol").out()).contains("version 1 is production, version 2 archived");
        JsonNode history = new ObjectMapper().readTree(ok("models", "history", "bike", "--json").out());
        assertThat(history).hasSize(5);
        assertThat(history.get(4).get("to").asText()).isEqualTo("PRODUCTION");
        assertThat(history.get(4).get("actor").asText()).isEqualTo("carol");

        assertThat(ok("models", "alias", "bike", "--delete", "champion").out()).contains("Removed alias @champion");
        assertThat(flywheel("models", "describe", "bike", "@champion").exit()).isEqualTo(3);
        assertThat(flywheel("models", "alias", "bike", "2").exit()).isEqualTo(2);

        CliResult unconfirmed = flywheel("models", "delete", "bike", "2");
        assertThat(unconfirmed.exit()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("refused: pass -y").contains("flywheel models delete bike 2 -y");
        assertThat(ok("models", "versions", "bike").out().lines()).hasSize(3);
        assertThat(ok("models", "delete", "bike", "2", "-y").out()).contains("Deleted model bike version 2");
        assertThat(ok("models", "versions", "bike", "--json").out()).doesNotContain("\"version\" : 2");
        assertThat(new ObjectMapper().readTree(ok("models", "list", "--json").out())).hasSize(2);
    }

    @Test
    void badInputsGetTheirMessageAndExitCodeAndRegisterNothing() throws Exception {
        ok("init");
        Path onnx = Path.of(getClass().getResource("/onnx/linear_regressor.onnx").toURI());
        ok("models", "import", "lin", "--onnx", onnx.toString(), "--features", "a,b,c");

        CliResult unknownModel = flywheel("models", "describe", "nope", "1");
        assertThat(unknownModel.exit()).isEqualTo(3);
        assertThat(unknownModel.err()).contains("No model named 'nope'; known models: lin");

        CliResult unknownVersion = flywheel("models", "describe", "lin", "4");
        assertThat(unknownVersion.exit()).isEqualTo(3);
        assertThat(unknownVersion.err()).contains("Model 'lin' has no version 4; its versions are 1");

        CliResult unknownAlias = flywheel("models", "describe", "lin", "@champion");
        assertThat(unknownAlias.exit()).isEqualTo(3);
        assertThat(unknownAlias.err()).contains("no alias 'champion'");

        CliResult noVersion = flywheel("models", "describe", "lin");
        assertThat(noVersion.exit()).isEqualTo(2);
        assertThat(noVersion.err()).contains("a number (3), an alias (@champion) or --stage STAGE");

        CliResult badStage = flywheel("models", "promote", "lin", "1", "--stage", "prod");
        assertThat(badStage.exit()).isEqualTo(2);
        assertThat(badStage.err()).contains("Unknown stage 'prod'");

        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(onnx), 40));
        CliResult corruptImport = flywheel("models", "import", "lin", "--onnx", corrupt.toString(), "--features", "a,b,c");
        assertThat(corruptImport.exit()).isEqualTo(5);
        assertThat(corruptImport.err()).contains(corrupt.toAbsolutePath().toString()).contains("not a readable ONNX model");

        CliResult mismatch = flywheel("models", "import", "lin", "--onnx", onnx.toString(), "--features", "a,b");
        assertThat(mismatch.exit()).isEqualTo(2);
        assertThat(mismatch.err()).contains("2 feature names [a, b] for 3 input columns").contains("input FP32 [-1, 3]");

        Path signature = dir.resolve("signature.json");
        Files.writeString(signature, "{\"inputs\": [\"a\", {\"name\": \"b\", \"type\": \"fp32\"}], \"extra\": 1}");
        CliResult badSignature = flywheel("models", "import", "lin", "--onnx", onnx.toString(), "--signature", signature.toString());
        assertThat(badSignature.exit()).isEqualTo(2);
        assertThat(badSignature.err()).contains("unknown field \"extra\"");

        CliResult missing = flywheel("models", "import", "lin", "--onnx", dir.resolve("missing.onnx").toString(), "--features", "a,b,c");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("does not exist");

        CliResult xgboostWithoutNames = flywheel("models", "import", "bike", "--xgboost", xgboostFile("v1.ubj", 5).toString());
        assertThat(xgboostWithoutNames.exit()).isEqualTo(2);
        assertThat(xgboostWithoutNames.err()).contains("does not say what inputs it takes").contains("--features a,b,c");

        assertThat(ok("models", "versions", "lin").out().lines()).as("nothing was registered by the bad imports").hasSize(2);
    }

    @Test
    void racingPromotesEachPrintWhatTheirOwnTransactionDid() throws Exception {
        ok("init");
        int versions = 6;
        for (int v = 1; v <= versions; v++) {
            ok("models", "import", "bike", "--xgboost", xgboostFile("v" + v + ".ubj", v + 1).toString(), "--features", "a,b,c");
        }
        ok("models", "promote", "bike", "1", "--stage", "production");
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(versions - 1);
        List<java.util.concurrent.Future<CliResult>> racing = new java.util.ArrayList<>();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(versions - 1)) {
            for (int v = 2; v <= versions; v++) {
                String version = Integer.toString(v);
                racing.add(pool.submit(() -> {
                    start.await();
                    return flywheel("models", "promote", "bike", version, "--stage", "production");
                }));
            }
        }
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("Model bike version (\\d+) is now production \\(version (\\d+) archived\\)\\.");
        java.util.Map<Integer, Integer> printed = new java.util.HashMap<>();
        for (java.util.concurrent.Future<CliResult> f : racing) {
            CliResult r = f.get();
            assertThat(r.exit()).as(r.err()).isZero();
            java.util.regex.Matcher m = line.matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            printed.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        // The history is the truth: each promotion archived exactly the version its command printed.
        JsonNode history = new ObjectMapper().readTree(ok("models", "history", "bike", "--json").out());
        java.util.Map<Integer, Integer> recorded = new java.util.HashMap<>();
        for (JsonNode h : history) {
            String reason = h.get("reason").asText();
            if (h.get("from").asText().equals("PRODUCTION") && reason.startsWith("replaced by version ")) {
                recorded.put(Integer.parseInt(reason.substring("replaced by version ".length())), h.get("version").asInt());
            }
        }
        assertThat(printed).hasSize(versions - 1).isEqualTo(recorded);
        assertThat(new java.util.HashSet<>(printed.values())).as("no version is archived twice").hasSize(versions - 1);
    }

    @Test
    void importingBytesAlreadyRegisteredSaysWhichVersionAndNewVersionForcesAnother() throws Exception {
        ok("init");
        Path onnx = Path.of(getClass().getResource("/onnx/linear_regressor.onnx").toURI());
        assertThat(ok("models", "import", "lin", "--onnx", onnx.toString()).out())
                .contains("as model lin version 1").contains("inputs:  input FP32 [-1, 3]").contains("outputs: variable FP32 [-1, 1]");
        CliResult again = ok("models", "import", "lin", "--onnx", onnx.toString(), "--features", "a,b,c");
        assertThat(again.out()).contains("is already registered as version 1 of model lin").contains("--new-version");
        JsonNode json = new ObjectMapper().readTree(ok("models", "import", "lin", "--onnx", onnx.toString(), "--json").out());
        assertThat(json.path("created").asBoolean()).isFalse();
        assertThat(json.at("/version/version").asInt()).isEqualTo(1);
        assertThat(ok("models", "import", "lin", "--onnx", onnx.toString(), "--new-version").out()).contains("as model lin version 2");
        assertThat(ok("models", "versions", "lin").out().lines()).hasSize(3);
        assertThat(ok("models", "describe", "lin", "2").out()).contains("Inputs:       input FP32 [-1, 3]")
                .contains("Outputs:      variable FP32 [-1, 1]").contains("Columns:      input_0:fp32, input_1:fp32, input_2:fp32");
    }
}
