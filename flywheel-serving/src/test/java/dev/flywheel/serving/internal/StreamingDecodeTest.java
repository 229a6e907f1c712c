package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming request readers against the tree readers they replace on the request path, over datatypes, shapes,
 * field orders, missing and extra fields, wrong types and truncated bodies: every body gets the same answer (the same
 * batch, or the same error message) from the request path as from the tree reader; every body the tree refuses, the
 * stream refuses too; and the bodies clients send are read by the stream itself, not by the tree behind it.
 */
class StreamingDecodeTest {
    /** Three float features, the last nullable (as the serving tests' linear model). */
    private static final ModelSignature TABULAR = new ModelSignature(
            List.of(Feature.fp32("temp"), Feature.fp32("hum"), new Feature("wind", FeatureType.FP32, true)),
            List.of(Feature.fp32("prediction")));
    /** One feature per datatype the sweep covers. */
    private static final ModelSignature TYPED = new ModelSignature(
            List.of(new Feature("f64", FeatureType.FP64, false), new Feature("i32", FeatureType.INT32, false),
                    new Feature("i64", FeatureType.INT64, true), new Feature("flag", FeatureType.BOOL, false)),
            List.of(Feature.fp32("prediction")));
    /** A graph's tensors, one per datatype, widths 2 and 1 (columns named after the tensors). */
    private static final ModelSignature GRAPH = ModelSignature.ofTensors(List.of(
            new TensorSpec("x", FeatureType.FP32, List.of(-1L, 2L)),
            new TensorSpec("d", FeatureType.FP64, List.of(-1L)),
            new TensorSpec("i", FeatureType.INT32, List.of(-1L, 1L)),
            new TensorSpec("l", FeatureType.INT64, List.of(-1L)),
            new TensorSpec("b", FeatureType.BOOL, List.of(-1L))),
            List.of(new TensorSpec("y", FeatureType.FP32, List.of(-1L))));

    private record Case(String name, ModelSignature sig, String body, boolean streams) {
    }

    private static String input(String name, String datatype, String shape, String data) {
        return "{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}";
    }

    private static String infer(String... inputs) {
        return "{\"inputs\":[" + String.join(",", inputs) + "]}";
    }

    private static final String TABULAR_ONE = infer(input("temp", "FP32", "[1]", "[1.5]"), input("hum", "FP32", "[1]", "[2]"),
            input("wind", "FP32", "[1]", "[3]"));
    private static final String GRAPH_TWO = infer(input("x", "FP32", "[2,2]", "[[1,2],[3,4]]"), input("d", "FP64", "[2]", "[0.1,1e30]"),
            input("i", "INT32", "[2,1]", "[[7],[-2147483648]]"), input("l", "INT64", "[2]", "[9007199254740993,-5]"),
            input("b", "BOOL", "[2]", "[true,false]"));

    /** Requests as clients send them: the stream must read each itself, with the tree's result. */
    private static List<Case> streamed() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("per-feature one row", TABULAR, TABULAR_ONE, true));
        cases.add(new Case("per-feature [N] flat, 3 rows", TABULAR, infer(input("temp", "FP32", "[3]", "[1,2,3]"),
                input("hum", "FP32", "[3]", "[4,5,6]"), input("wind", "FP32", "[3]", "[7,null,NaN]")), true));
        cases.add(new Case("per-feature [N,1] nested", TABULAR, infer(input("temp", "FP32", "[2,1]", "[[1],[2]]"),
                input("hum", "FP32", "[2,1]", "[[3],[4]]"), input("wind", "FP32", "[2,1]", "[[5],[6]]")), true));
        cases.add(new Case("per-feature inputs in another order", TABULAR, infer(input("wind", "FP32", "[1]", "[3]"),
                input("temp", "FP32", "[1]", "[1]"), input("hum", "FP32", "[1]", "[2]")), true));
        cases.add(new Case("per-feature declared FP64 and INT64", TABULAR, infer(input("temp", "FP64", "[1]", "[1.25]"),
                input("hum", "INT64", "[1]", "[2]"), input("wind", "INT32", "[1]", "[-3]")), true));
        cases.add(new Case("matrix [N,k] flat", TABULAR, infer(input("features", "FP32", "[2,3]", "[1,2,3,4,5,6]")), true));
        cases.add(new Case("matrix [N,k] nested", TABULAR, infer(input("features", "FP32", "[2,3]", "[[1,2,3],[4,5,null]]")), true));
        cases.add(new Case("matrix, deeper nesting", TABULAR, infer(input("features", "FP32", "[1,3]", "[[[1],[2],[3]]]")), true));
        cases.add(new Case("typed features FP64 INT32 INT64 BOOL", TYPED, infer(input("f64", "FP64", "[2]", "[1e30,-0.5]"),
                input("i32", "INT32", "[2]", "[2147483647,-1]"), input("i64", "INT64", "[2]", "[9223372036854775807,null]"),
                input("flag", "BOOL", "[2]", "[true,false]")), true));
        cases.add(new Case("BOOL feature sent as 0/1 numbers", TYPED, infer(input("f64", "FP64", "[1]", "[1]"),
                input("i32", "INT32", "[1]", "[1]"), input("i64", "INT64", "[1]", "[1]"), input("flag", "INT8", "[1]", "[1]")), true));
        cases.add(new Case("graph tensors, nested", GRAPH, GRAPH_TWO, true));
        cases.add(new Case("graph tensors, flat, other order", GRAPH, infer(input("b", "BOOL", "[1]", "[1]"),
                input("l", "INT64", "[1]", "[3]"), input("i", "INT32", "[1,1]", "[4]"), input("d", "FP64", "[1]", "[0.5]"),
                input("x", "FP32", "[1,2]", "[1,2]")), true));
        cases.add(new Case("id, parameters, outputs and unknown fields", TABULAR, "{\"id\":\"r-1\",\"parameters\":{\"a\":[1,{}]},"
                + "\"extra\":[{\"deep\":[1,2]}],\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"datatype\":\"FP32\",\"parameters\":{},"
                + "\"data\":[1],\"after\":{\"x\":1}},{\"name\":\"hum\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[2]},"
                + "{\"name\":\"wind\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[3]}],"
                + "\"outputs\":[{\"name\":\"prediction\",\"parameters\":{\"binary_data\":false}}]}", true));
        cases.add(new Case("id and parameters null, outputs null", TABULAR, "{\"id\":null,\"parameters\":null,\"outputs\":null,"
                + TABULAR_ONE.substring(1), true));
        cases.add(new Case("outputs before inputs", TABULAR, "{\"outputs\":[{\"name\":\"prediction\"}]," + TABULAR_ONE.substring(1), true));
        cases.add(new Case("whitespace and huge whole numbers", TYPED, " {\n \"inputs\" : [ "
                + input("f64", "FP64", "[1]", "[ 123456789012345678901234567890 ]") + " , "
                + input("i32", "INT32", "[1]", "[2]") + "," + input("i64", "INT64", "[1]", "[-9223372036854775808]") + ","
                + input("flag", "BOOL", "[1]", "[false]") + " ] }\n", true));
        return cases;
    }

    /** Requests the stream leaves to the tree (unusual order, repeated keys) and every kind of bad request. */
    private static List<Case> leftToTheTree() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("data before shape (valid, unusual order)", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"data\":[1],"
                + "\"datatype\":\"FP32\",\"shape\":[1]},{\"data\":[2],\"name\":\"hum\",\"datatype\":\"FP32\",\"shape\":[1]},"
                + "{\"name\":\"wind\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[3]}]}", false));
        cases.add(new Case("inputs given twice (the tree keeps the last)", TABULAR, "{\"inputs\":[]," + TABULAR_ONE.substring(1), false));
        cases.add(new Case("id given twice", TABULAR, "{\"id\":\"a\",\"id\":\"b\"," + TABULAR_ONE.substring(1), false));
        // Missing fields.
        cases.add(new Case("empty body", TABULAR, "", false));
        cases.add(new Case("whitespace body", TABULAR, "  \n", false));
        cases.add(new Case("no inputs", TABULAR, "{\"id\":\"x\"}", false));
        cases.add(new Case("empty inputs", TABULAR, "{\"inputs\":[]}", false));
        cases.add(new Case("missing a feature", TABULAR, infer(input("temp", "FP32", "[1]", "[1]"), input("hum", "FP32", "[1]", "[2]")), false));
        cases.add(new Case("missing a tensor", GRAPH, infer(input("x", "FP32", "[1,2]", "[1,2]")), false));
        cases.add(new Case("input without name", TABULAR, "{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", false));
        cases.add(new Case("input with empty name", TABULAR, "{\"inputs\":[{\"name\":\"\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", false));
        cases.add(new Case("input without datatype", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"shape\":[1],\"data\":[1]}]}", false));
        cases.add(new Case("input without shape", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"datatype\":\"FP32\",\"data\":[1]}]}", false));
        cases.add(new Case("input without data", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"datatype\":\"FP32\",\"shape\":[1]}]}", false));
        // Extra fields and inputs.
        cases.add(new Case("unknown input", TABULAR, infer(input("temp", "FP32", "[1]", "[1]"), input("hum", "FP32", "[1]", "[2]"),
                input("wind", "FP32", "[1]", "[3]"), input("rain", "FP32", "[1]", "[4]")), false));
        cases.add(new Case("input given twice", TABULAR, infer(input("temp", "FP32", "[1]", "[1]"), input("temp", "FP32", "[1]", "[1]"),
                input("hum", "FP32", "[1]", "[2]"), input("wind", "FP32", "[1]", "[3]")), false));
        cases.add(new Case("matrix plus a second input", TABULAR, infer(input("features", "FP32", "[1,3]", "[1,2,3]"),
                input("more", "FP32", "[1,3]", "[1,2,3]")), false));
        cases.add(new Case("unknown output", TABULAR, "{\"outputs\":[{\"name\":\"nope\"}]," + TABULAR_ONE.substring(1), true));
        // Wrong types.
        cases.add(new Case("body is an array", TABULAR, "[" + TABULAR_ONE + "]", false));
        cases.add(new Case("body is a number", TABULAR, "5", false));
        cases.add(new Case("inputs is an object", TABULAR, "{\"inputs\":{}}", false));
        cases.add(new Case("input is a string", TABULAR, "{\"inputs\":[\"temp\"]}", false));
        cases.add(new Case("id is a number", TABULAR, "{\"id\":5," + TABULAR_ONE.substring(1), false));
        cases.add(new Case("parameters is an array", TABULAR, "{\"parameters\":[]," + TABULAR_ONE.substring(1), false));
        cases.add(new Case("outputs is a string", TABULAR, "{\"outputs\":\"prediction\"," + TABULAR_ONE.substring(1), false));
        cases.add(new Case("output without name", TABULAR, "{\"outputs\":[{}]," + TABULAR_ONE.substring(1), false));
        cases.add(new Case("datatype BYTES", TABULAR, infer(input("temp", "BYTES", "[1]", "[\"a\"]")), false));
        cases.add(new Case("datatype unknown", TABULAR, infer(input("temp", "FP128", "[1]", "[1]")), false));
        cases.add(new Case("datatype is a number", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"datatype\":32,\"shape\":[1],\"data\":[1]}]}", false));
        cases.add(new Case("tensor datatype differs from the graph's", GRAPH, GRAPH_TWO.replace("\"INT64\"", "\"INT32\""), false));
        cases.add(new Case("shape is a string", TABULAR, "{\"inputs\":[{\"name\":\"temp\",\"datatype\":\"FP32\",\"shape\":\"1\",\"data\":[1]}]}", false));
        cases.add(new Case("shape empty", TABULAR, infer(input("temp", "FP32", "[]", "[1]")), false));
        cases.add(new Case("shape negative", TABULAR, infer(input("temp", "FP32", "[-1]", "[1]")), false));
        cases.add(new Case("shape fractional", TABULAR, infer(input("temp", "FP32", "[1.5]", "[1]")), false));
        cases.add(new Case("shape zero rows", TABULAR, infer(input("temp", "FP32", "[0]", "[]")), false));
        cases.add(new Case("per-feature shape [N,2]", TABULAR, infer(input("temp", "FP32", "[1,2]", "[1,2]")), false));
        cases.add(new Case("graph tensor of the wrong width", GRAPH, GRAPH_TWO.replace("[2,2]", "[1,4]"), false));
        cases.add(new Case("data is a string", TABULAR, infer(input("temp", "FP32", "[1]", "\"1\"")), false));
        cases.add(new Case("data is a number", TABULAR, infer(input("temp", "FP32", "[1]", "1")), false));
        cases.add(new Case("value is a string", TABULAR, TABULAR_ONE.replace("[1.5]", "[\"1.5\"]"), false));
        cases.add(new Case("value is an object", TABULAR, TABULAR_ONE.replace("[1.5]", "[{}]"), false));
        cases.add(new Case("boolean for a float feature", TABULAR, TABULAR_ONE.replace("[1.5]", "[true]"), false));
        cases.add(new Case("null for a feature that is not nullable", TABULAR, TABULAR_ONE.replace("[1.5]", "[null]"), false));
        cases.add(new Case("fraction for INT32", TYPED, infer(input("f64", "FP64", "[1]", "[1]"), input("i32", "INT32", "[1]", "[1.5]"),
                input("i64", "INT64", "[1]", "[1]"), input("flag", "BOOL", "[1]", "[true]")), false));
        cases.add(new Case("INT32 out of range", TYPED, infer(input("f64", "FP64", "[1]", "[1]"), input("i32", "INT32", "[1]", "[2147483648]"),
                input("i64", "INT64", "[1]", "[1]"), input("flag", "BOOL", "[1]", "[true]")), false));
        cases.add(new Case("BOOL feature given 2", TYPED, infer(input("f64", "FP64", "[1]", "[1]"), input("i32", "INT32", "[1]", "[1]"),
                input("i64", "INT64", "[1]", "[1]"), input("flag", "INT8", "[1]", "[2]")), false));
        cases.add(new Case("FP64 value beyond FP32", TYPED, infer(input("f64", "FP64", "[1]", "[1e300]"), input("i32", "INT32", "[1]", "[1]"),
                input("i64", "INT64", "[1]", "[1]"), input("flag", "BOOL", "[1]", "[true]")).replace("1e300", "1e39"), false));
        cases.add(new Case("infinity", TABULAR, TABULAR_ONE.replace("[1.5]", "[1e999]"), false));
        cases.add(new Case("JSON Infinity", TABULAR, TABULAR_ONE.replace("[1.5]", "[-Infinity]"), false));
        // Counts and rows.
        cases.add(new Case("fewer values than the shape", TABULAR, TABULAR_ONE.replace("\"shape\":[1],\"data\":[1.5]", "\"shape\":[2],\"data\":[1.5]"), false));
        cases.add(new Case("more values than the shape", TABULAR, TABULAR_ONE.replace("[1.5]", "[1.5,2.5]"), false));
        cases.add(new Case("inputs with different rows", TABULAR, infer(input("temp", "FP32", "[2]", "[1,2]"), input("hum", "FP32", "[1]", "[2]"),
                input("wind", "FP32", "[1]", "[3]")), false));
        // Not JSON.
        cases.add(new Case("trailing tokens", TABULAR, TABULAR_ONE + " {}", false));
        cases.add(new Case("trailing garbage", TABULAR, TABULAR_ONE + "x", false));
        cases.add(new Case("single quotes", TABULAR, TABULAR_ONE.replace('"', '\''), false));
        cases.add(new Case("trailing comma", TABULAR, TABULAR_ONE.replace("]}]}", "],}]}"), false));
        return cases;
    }

    /** The request path's reader, the tree reader, and the stream alone, each as a comparable outcome. */
    private static String viaRequestPath(Case c) {
        return outcome(() -> ok(OipCodec.read(bytes(c.body()), c.sig(), "m")));
    }

    private static String viaTree(Case c) {
        return outcome(() -> ok(OipCodec.read(Json.parse(bytes(c.body())), c.sig(), "m")));
    }

    private static String viaStream(Case c) {
        return outcome(() -> ok(OipStream.read(bytes(c.body()), c.sig(), "m")));
    }

    private static String ok(OipCodec.InferRequest r) {
        return "ok id=" + r.id() + " outputs=" + r.outputs() + " " + text(r.batch());
    }

    /** What a reader gave: "ok ..." as {@code read} writes it, or the error with its code and message. */
    private interface Read {
        String read() throws Exception;
    }

    private static String outcome(Read read) {
        try {
            return read.read();
        } catch (FlywheelException e) {
            return "error " + e.code() + ": " + e.getMessage();
        } catch (Exception e) {
            return "failure " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String text(FeatureBatch b) {
        return b.rows() + "x" + b.columns() + " " + Arrays.toString(b.values());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void clientRequestsAreStreamedWithTheTreeReadersBatch() {
        for (Case c : streamed()) {
            String tree = viaTree(c);
            assertThat(tree).as(c.name()).startsWith("ok ");
            assertThat(viaStream(c)).as(c.name() + ": read by the stream itself").isEqualTo(tree);
            assertThat(viaRequestPath(c)).as(c.name()).isEqualTo(tree);
        }
    }

    @Test
    void streamedValuesLandInTheRightColumnsAndRows() {
        assertThat(viaStream(streamed().get(1))).isEqualTo("ok id=null outputs=null 3x3 [1.0, 4.0, 7.0, 2.0, 5.0, NaN, 3.0, 6.0, NaN]");
        assertThat(viaStream(streamed().get(3))).isEqualTo("ok id=null outputs=null 1x3 [1.0, 2.0, 3.0]");
        // Graph columns: x_0 x_1 d i l b; 2^53+1 reads as the float the tree gives it.
        assertThat(viaStream(new Case("graph", GRAPH, GRAPH_TWO, true))).isEqualTo("ok id=null outputs=null 2x6 "
                + "[1.0, 2.0, 0.1, 7.0, 9.007199E15, 1.0, 3.0, 4.0, 1.0E30, -2.1474836E9, -5.0, 0.0]");
    }

    @Test
    void everyOtherRequestGetsTheTreeReadersAnswerAndMessage() {
        int refused = 0;
        for (Case c : leftToTheTree()) {
            String tree = viaTree(c);
            assertThat(viaRequestPath(c)).as(c.name()).isEqualTo(tree);
            String stream = viaStream(c);
            if (!tree.startsWith("ok ")) {
                refused++;
                assertThat(tree).as(c.name() + ": a bad request is a 4xx with a message").startsWith("error INVALID_ARGUMENT: ");
                assertThat(stream).as(c.name() + ": the stream never accepts what the tree refuses").doesNotStartWith("ok ");
            } else if (!c.streams()) {
                assertThat(stream).as(c.name() + ": left to the tree").doesNotStartWith("ok ");
            }
        }
        assertThat(refused).isGreaterThan(40);
    }

    @Test
    void everyTruncatedBodyIsMalformedJsonAsTheTreeSaysIt() {
        for (String body : List.of(TABULAR_ONE, GRAPH_TWO)) {
            ModelSignature sig = body.equals(GRAPH_TWO) ? GRAPH : TABULAR;
            for (int cut = 0; cut < body.length(); cut++) {
                Case c = new Case("cut at " + cut, sig, body.substring(0, cut), false);
                String tree = viaTree(c);
                assertThat(tree).as(c.name()).startsWith("error INVALID_ARGUMENT: ");
                assertThat(viaRequestPath(c)).as(c.name()).isEqualTo(tree);
                assertThat(viaStream(c)).as(c.name()).doesNotStartWith("ok ");
            }
        }
    }

    /** MLflow's formats: the same three promises for /invocations. */
    private static List<Case> mlflow() {
        String split = "{\"dataframe_split\":{\"columns\":[\"temp\",\"hum\",\"wind\"],\"data\":[[1,2,3],[4,5,null]]}}";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("split", TABULAR, split, true));
        cases.add(new Case("split, columns reordered, index and params", TABULAR, "{\"params\":{\"a\":1},\"dataframe_split\":"
                + "{\"index\":[0],\"columns\":[\"wind\",\"temp\",\"hum\"],\"data\":[[3,1,2]]}}", true));
        cases.add(new Case("split, typed", TYPED, "{\"dataframe_split\":{\"columns\":[\"f64\",\"i32\",\"i64\",\"flag\"],"
                + "\"data\":[[1e30,-7,9223372036854775807,true],[0.5,1,null,false]]}}", true));
        cases.add(new Case("split, many rows (buffer grows)", TABULAR, "{\"dataframe_split\":{\"columns\":[\"temp\",\"hum\",\"wind\"],\"data\":["
                + String.join(",", java.util.Collections.nCopies(37, "[1,2,3]")) + "]}}", true));
        cases.add(new Case("instances rows", TABULAR, "{\"instances\":[[1,2,3],[4,5,6]]}", true));
        cases.add(new Case("inputs rows", TABULAR, "{\"inputs\":[[1,2,3]]}", true));
        cases.add(new Case("records", TABULAR, "{\"dataframe_records\":[{\"temp\":1,\"hum\":2,\"wind\":3},{\"hum\":5,\"temp\":4}]}", true));
        cases.add(new Case("instances records", TYPED, "{\"instances\":[{\"flag\":false,\"f64\":2,\"i32\":3}]}", true));
        cases.add(new Case("split, data before columns", TABULAR, "{\"dataframe_split\":{\"data\":[[1,2,3]],\"columns\":[\"temp\",\"hum\",\"wind\"]}}", false));
        cases.add(new Case("instances as columns", TABULAR, "{\"instances\":{\"temp\":[1],\"hum\":[2],\"wind\":[3]}}", false));
        cases.add(new Case("inputs as a tensor dict", GRAPH, "{\"inputs\":{\"x\":[[1,2]],\"d\":[0.5],\"i\":[[1]],\"l\":[2],\"b\":[true]}}", false));
        cases.add(new Case("two formats", TABULAR, "{\"instances\":[[1,2,3]],\"inputs\":[[1,2,3]]}", false));
        cases.add(new Case("unknown key", TABULAR, "{\"rows\":[[1,2,3]]}", false));
        cases.add(new Case("no format", TABULAR, "{\"params\":{}}", false));
        cases.add(new Case("split, unknown column", TABULAR, split.replace("\"wind\"]", "\"rain\"]"), false));
        cases.add(new Case("split, column twice", TABULAR, split.replace("\"wind\"]", "\"hum\"]"), false));
        cases.add(new Case("split, missing column", TABULAR, split.replace(",\"wind\"]", "]"), false));
        cases.add(new Case("split, short row", TABULAR, split.replace("[1,2,3]", "[1,2]"), false));
        cases.add(new Case("split, long row", TABULAR, split.replace("[1,2,3]", "[1,2,3,4]"), false));
        cases.add(new Case("split, empty data", TABULAR, "{\"dataframe_split\":{\"columns\":[\"temp\",\"hum\",\"wind\"],\"data\":[]}}", false));
        cases.add(new Case("split, string value", TABULAR, split.replace("[1,2,3]", "[\"1\",2,3]"), false));
        cases.add(new Case("split, nested value", TABULAR, split.replace("[1,2,3]", "[[1],2,3]"), false));
        cases.add(new Case("split, null not nullable", TABULAR, split.replace("[1,2,3]", "[null,2,3]"), false));
        cases.add(new Case("split, columns not strings", TABULAR, split.replace("\"temp\",", "1,"), false));
        cases.add(new Case("records, missing feature", TABULAR, "{\"dataframe_records\":[{\"temp\":1,\"wind\":3}]}", false));
        cases.add(new Case("records, unknown feature", TABULAR, "{\"dataframe_records\":[{\"temp\":1,\"hum\":2,\"rain\":3}]}", false));
        cases.add(new Case("records, key twice", TABULAR, "{\"dataframe_records\":[{\"temp\":1,\"hum\":2,\"hum\":3}]}", false));
        cases.add(new Case("records of arrays", TABULAR, "{\"dataframe_records\":[[1,2,3]]}", false));
        cases.add(new Case("instances, mixed rows and records", TABULAR, "{\"instances\":[[1,2,3],{\"temp\":1,\"hum\":2}]}", false));
        cases.add(new Case("instances, fraction for INT32", TYPED, "{\"instances\":[[1,1.5,1,true]]}", false));
        cases.add(new Case("instances empty", TABULAR, "{\"instances\":[]}", false));
        cases.add(new Case("trailing tokens", TABULAR, split + "[]", false));
        for (int cut = 0; cut < split.length(); cut++) {
            cases.add(new Case("split cut at " + cut, TABULAR, split.substring(0, cut), false));
        }
        return cases;
    }

    @Test
    void invocationsGetTheTreeReadersAnswerAndClientFormatsAreStreamed() {
        int refused = 0;
        for (Case c : mlflow()) {
            byte[] body = bytes(c.body());
            String tree = outcome(() -> "ok " + text(MlflowCodec.readJson(Json.parse(body), c.sig())));
            String path = outcome(() -> "ok " + text(MlflowCodec.readJson(body, c.sig())));
            String stream = outcome(() -> "ok " + text(MlflowStream.read(body, c.sig())));
            assertThat(path).as(c.name()).isEqualTo(tree);
            if (c.streams()) {
                assertThat(tree).as(c.name()).startsWith("ok ");
                assertThat(stream).as(c.name() + ": read by the stream itself").isEqualTo(tree);
            } else if (!tree.startsWith("ok ")) {
                refused++;
                assertThat(tree).as(c.name()).startsWith("error INVALID_ARGUMENT: ");
                assertThat(stream).as(c.name() + ": the stream never accepts what the tree refuses").doesNotStartWith("ok ");
            } else {
                assertThat(stream).as(c.name() + ": left to the tree").doesNotStartWith("ok ");
            }
        }
        assertThat(refused).isGreaterThan(60);
        assertThat(outcome(() -> "ok " + text(MlflowStream.read(bytes(mlflow().get(6).body()), TABULAR))))
                .isEqualTo("ok 2x3 [1.0, 2.0, 3.0, 4.0, 5.0, NaN]");
    }
}
