package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads MLflow's JSON scoring formats with Jackson's streaming parser, each value straight into the batch's float
 * buffer: {@code dataframe_split} (its {@code columns} before its {@code data}, as pandas and MLflow's client write
 * it), and {@code dataframe_records}, {@code instances} or {@code inputs} as an array of rows or of records. The
 * rest (columnar and tensor dictionaries, any error) throws {@link OipStream.Leave} or the error, and
 * {@link MlflowCodec#readJson(byte[], ModelSignature)} reads the body again as a tree, whose messages stay the
 * ones users see.
 */
final class MlflowStream {
    private MlflowStream() {
    }

    static FeatureBatch read(byte[] body, ModelSignature sig) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw OipStream.Leave.INSTANCE;
            }
            FeatureBatch batch = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("params")) {
                    p.skipChildren();
                    continue;
                }
                if (batch != null) {
                    throw OipStream.Leave.INSTANCE;
                }
                batch = switch (field) {
                    case "dataframe_split" -> split(p, sig);
                    case "dataframe_records", "instances", "inputs" -> rows(p, sig, field);
                    default -> throw OipStream.Leave.INSTANCE;
                };
            }
            if (batch == null || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw OipStream.Leave.INSTANCE;
            }
            return batch;
        }
    }

    private static FeatureBatch split(JsonParser p, ModelSignature sig) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw OipStream.Leave.INSTANCE;
        }
        int[] target = null;
        FeatureBatch batch = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "columns" -> {
                    if (target != null || t != JsonToken.START_ARRAY) {
                        throw OipStream.Leave.INSTANCE;
                    }
                    List<String> names = new ArrayList<>(sig.inputs().size());
                    JsonToken c;
                    while ((c = p.nextToken()) == JsonToken.VALUE_STRING) {
                        names.add(p.getText());
                    }
                    if (c != JsonToken.END_ARRAY) {
                        throw OipStream.Leave.INSTANCE;
                    }
                    target = MlflowCodec.columnTargets(names, sig, "dataframe_split.columns");
                }
                case "data" -> {
                    if (target == null || batch != null || t != JsonToken.START_ARRAY) {
                        throw OipStream.Leave.INSTANCE;
                    }
                    batch = arrayRows(p, sig, target, "dataframe_split.data", p.nextToken());
                }
                default -> p.skipChildren();
            }
        }
        if (batch == null) {
            throw OipStream.Leave.INSTANCE;
        }
        return batch;
    }

    /** An array of rows (arrays in signature order) or of records (objects by feature name), chosen by its first element. */
    private static FeatureBatch rows(JsonParser p, ModelSignature sig, String key) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw OipStream.Leave.INSTANCE;
        }
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_ARRAY && !key.equals("dataframe_records")) {
            int[] inOrder = new int[sig.inputs().size()];
            Arrays.setAll(inOrder, i -> i);
            return arrayRows(p, sig, inOrder, key, first);
        } else if (first == JsonToken.START_OBJECT) {
            return records(p, sig, key);
        }
        throw OipStream.Leave.INSTANCE;
    }

    /** Rows as arrays, column {@code c} of each going to feature {@code target[c]}; {@code t} is the first row's token. */
    private static FeatureBatch arrayRows(JsonParser p, ModelSignature sig, int[] target, String key, JsonToken t)
            throws IOException {
        int k = sig.inputs().size();
        Buffer out = new Buffer(k);
        Cells.Where where = r -> key + "[" + r + "]";
        for (; t == JsonToken.START_ARRAY; t = p.nextToken()) {
            float[] values = out.nextRow();
            int base = out.rows * k;
            int c = 0;
            JsonToken v;
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                if (c == target.length || v == null) {
                    throw OipStream.Leave.INSTANCE;
                }
                int column = target[c++];
                values[base + column] = Cells.fromToken(p, v, sig.inputs().get(column), null, out.rows, where);
            }
            if (c != target.length) {
                throw OipStream.Leave.INSTANCE;
            }
            out.rows++;
        }
        return out.finish(t);
    }

    /** Rows as objects {feature: value}; a nullable feature may be left out (it reads as missing). The parser is on the first record. */
    private static FeatureBatch records(JsonParser p, ModelSignature sig, String key) throws IOException {
        int k = sig.inputs().size();
        Buffer out = new Buffer(k);
        Cells.Where where = r -> key + "[" + r + "]";
        boolean[] given = new boolean[k];
        for (JsonToken t = JsonToken.START_OBJECT; ; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                return out.finish(t);
            }
            float[] values = out.nextRow();
            int base = out.rows * k;
            Arrays.fill(given, false);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int column = sig.inputIndex(p.currentName());
                if (column < 0 || given[column]) {
                    throw OipStream.Leave.INSTANCE;
                }
                given[column] = true;
                values[base + column] = Cells.fromToken(p, p.nextToken(), sig.inputs().get(column), null, out.rows, where);
            }
            for (int c = 0; c < k; c++) {
                if (!given[c]) {
                    if (!sig.inputs().get(c).nullable()) {
                        throw OipStream.Leave.INSTANCE;
                    }
                    values[base + c] = Float.NaN;
                }
            }
            out.rows++;
        }
    }

    /** The batch's float buffer, grown by doubling while rows arrive (the count is known only at the end). */
    private static final class Buffer {
        private final int k;
        private float[] values;
        int rows;

        Buffer(int k) {
            this.k = k;
            this.values = new float[k * 4];
        }

        float[] nextRow() {
            if ((rows + 1) * k > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            return values;
        }

        FeatureBatch finish(JsonToken end) {
            if (end != JsonToken.END_ARRAY || rows == 0) {
                throw OipStream.Leave.INSTANCE;
            }
            return new FeatureBatch(rows, k, values.length == rows * k ? values : Arrays.copyOf(values, rows * k));
        }
    }
}
