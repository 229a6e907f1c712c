package dev.flywheel.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.ModelSignature;
import dev.flywheel.sdk.model.TensorSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * MLflow's scoring protocol for {@code POST /invocations}: JSON with one of {@code dataframe_split},
 * {@code dataframe_records}, {@code instances} or {@code inputs}, or CSV with a header row. The answer is
 * {@code {"predictions": [...]}}.
 */
final class MlflowCodec {
    private static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private MlflowCodec() {
    }

    /** A decoded scoring request: MLflow's answer needs nothing but the rows. */
    record Rows(FeatureBatch batch) implements ScoringRequest {
    }

    /**
     * Reads a JSON scoring body: streamed straight into the batch by {@link MlflowStream} where it can, read again as a
     * tree for everything it leaves (other formats, every bad request), so answers and messages are the tree reader's.
     */
    static FeatureBatch readJson(byte[] body, ModelSignature sig) {
        try {
            return MlflowStream.read(body, sig);
        } catch (java.io.IOException | RuntimeException streamLeftIt) {
            return readJson(Json.parse(body), sig);
        }
    }

    static FeatureBatch readJson(JsonNode root, ModelSignature sig) {
        if (!root.isObject()) {
            throw FlywheelException.invalid("/invocations JSON must be an object with one of the keys " + FORMATS);
        }
        String key = null;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FORMATS.contains(field) && !field.equals("params")) {
                throw FlywheelException.invalid("unknown key '" + field + "' in /invocations JSON; use exactly one of " + FORMATS);
            }
            if (FORMATS.contains(field)) {
                if (key != null) {
                    throw FlywheelException.invalid("/invocations JSON has both '" + key + "' and '" + field + "'; use exactly one");
                }
                key = field;
            }
        }
        if (key == null) {
            throw FlywheelException.invalid("/invocations JSON needs one of the keys " + FORMATS);
        }
        JsonNode body = root.get(key);
        return switch (key) {
            case "dataframe_split" -> readSplit(body, sig);
            case "dataframe_records" -> readRecords(body, sig, key);
            default -> readInstances(body, sig, key);
        };
    }

    private static FeatureBatch readSplit(JsonNode split, ModelSignature sig) {
        if (!split.isObject()) {
            throw FlywheelException.invalid("'dataframe_split' must be an object {\"columns\": [...], \"data\": [[...]]}");
        }
        JsonNode columns = split.get("columns");
        JsonNode data = split.get("data");
        if (columns == null || !columns.isArray()) {
            throw FlywheelException.invalid("'dataframe_split.columns' must be an array of feature names " + sig.inputNames());
        }
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw FlywheelException.invalid("'dataframe_split.data' must be a non-empty array of rows");
        }
        List<String> names = new ArrayList<>(columns.size());
        for (JsonNode c : columns) {
            if (!c.isTextual()) {
                throw FlywheelException.invalid("'dataframe_split.columns' must hold strings, got " + c);
            }
            names.add(c.textValue());
        }
        int[] target = columnTargets(names, sig, "dataframe_split.columns");
        int k = sig.inputs().size();
        int rows = data.size();
        float[] values = new float[rows * k];
        Cells.Where where = r -> "dataframe_split.data[" + r + "]";
        for (int r = 0; r < rows; r++) {
            JsonNode row = data.get(r);
            if (!row.isArray() || row.size() != target.length) {
                throw FlywheelException.invalid("dataframe_split.data[" + r + "] must be an array of " + target.length
                        + " values (one per column), got " + (row.isArray() ? row.size() + " values" : row.getNodeType()));
            }
            for (int c = 0; c < target.length; c++) {
                values[r * k + target[c]] = Cells.fromJson(row.get(c), sig.inputs().get(target[c]), null, r, where);
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    private static FeatureBatch readRecords(JsonNode records, ModelSignature sig, String key) {
        if (!records.isArray() || records.isEmpty()) {
            throw FlywheelException.invalid("'" + key + "' must be a non-empty array of objects {feature: value}");
        }
        int k = sig.inputs().size();
        int rows = records.size();
        float[] values = new float[rows * k];
        Cells.Where where = r -> key + "[" + r + "]";
        for (int r = 0; r < rows; r++) {
            JsonNode rec = records.get(r);
            if (!rec.isObject()) {
                throw FlywheelException.invalid(key + "[" + r + "] must be an object {feature: value}, got " + rec.getNodeType());
            }
            int matched = 0;
            for (int c = 0; c < k; c++) {
                Feature f = sig.inputs().get(c);
                JsonNode v = rec.get(f.name());
                if (v == null) {
                    if (!f.nullable()) {
                        throw FlywheelException.invalid("missing feature '" + f.name() + "' in " + key + "[" + r
                                + "]; the model takes " + sig.inputNames());
                    }
                } else {
                    matched++;
                }
                values[r * k + c] = Cells.fromJson(v, f, null, r, where);
            }
            if (matched != rec.size()) {
                for (Iterator<String> it = rec.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (sig.inputIndex(name) < 0) {
                        throw FlywheelException.invalid("unknown feature '" + name + "' in " + key + "[" + r
                                + "]; the model takes " + sig.inputNames());
                    }
                }
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    private static FeatureBatch readInstances(JsonNode body, ModelSignature sig, String key) {
        if (body.isObject() && sig.hasTensors() && body.size() > 0 && allTensorNames(body, sig)) {
            return readTensorDict(body, sig);
        }
        if (body.isObject()) {
            return readColumns(body, sig, key);
        }
        if (!body.isArray() || body.isEmpty()) {
            throw FlywheelException.invalid("'" + key + "' must be a non-empty array of rows or records");
        }
        if (body.get(0).isObject()) {
            return readRecords(body, sig, key);
        }
        int k = sig.inputs().size();
        int rows = body.size();
        float[] values = new float[rows * k];
        Cells.Where where = r -> key + "[" + r + "]";
        for (int r = 0; r < rows; r++) {
            JsonNode row = body.get(r);
            if (!row.isArray() || row.size() != k) {
                throw FlywheelException.invalid(key + "[" + r + "] must be an array of " + k + " values in the order "
                        + sig.inputNames() + ", got " + (row.isArray() ? row.size() + " values" : row.getNodeType()));
            }
            for (int c = 0; c < k; c++) {
                values[r * k + c] = Cells.fromJson(row.get(c), sig.inputs().get(c), null, r, where);
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    private static boolean allTensorNames(JsonNode body, ModelSignature sig) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (sig.inputTensors().stream().noneMatch(t -> t.name().equals(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * MLflow's tensor input, {@code {"inputs": {"features": [[...], ...]}}}: each graph tensor by name as a nested array,
     * read as the OIP tensor of the graph's datatype and the array's shape.
     */
    private static FeatureBatch readTensorDict(JsonNode body, ModelSignature sig) {
        ArrayNode inputs = Json.MAPPER.createArrayNode();
        for (TensorSpec t : sig.inputTensors()) {
            JsonNode data = body.get(t.name());
            if (data == null) {
                continue;
            }
            ObjectNode input = inputs.addObject();
            input.put("name", t.name());
            input.put("datatype", OipCodec.datatype(t.type()));
            ArrayNode shape = input.putArray("shape");
            for (JsonNode level = data; level.isArray() && !level.isEmpty(); level = level.get(0)) {
                shape.add(level.size());
            }
            if (t.shape().size() == 2 && shape.size() == 1 && t.rowWidth() == 1) {
                shape.add(1);
            }
            input.set("data", data);
        }
        return OipCodec.readTensors(OipCodec.jsonInputs(inputs), sig, "this");
    }

    private static FeatureBatch readColumns(JsonNode body, ModelSignature sig, String key) {
        int k = sig.inputs().size();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (sig.inputIndex(name) < 0) {
                throw FlywheelException.invalid("unknown feature '" + name + "' in '" + key + "'; the model takes " + sig.inputNames());
            }
        }
        int rows = -1;
        float[] values = null;
        for (int c = 0; c < k; c++) {
            Feature f = sig.inputs().get(c);
            JsonNode col = body.get(f.name());
            if (col == null || !col.isArray()) {
                throw FlywheelException.invalid((col == null ? "missing feature '" : "feature '") + f.name() + "' in '" + key
                        + "'" + (col == null ? "" : " must be an array of values") + "; the model takes " + sig.inputNames());
            }
            if (rows < 0) {
                rows = col.size();
                if (rows == 0) {
                    throw FlywheelException.invalid("'" + key + "." + f.name() + "' is empty; send at least one row");
                }
                values = new float[rows * k];
            } else if (col.size() != rows) {
                throw FlywheelException.invalid("'" + key + "." + f.name() + "' has " + col.size() + " values but '"
                        + key + "." + sig.inputs().get(0).name() + "' has " + rows + "; columns need the same length");
            }
            Cells.Where where = r -> key + "." + f.name() + "[" + r + "]";
            for (int r = 0; r < rows; r++) {
                values[r * k + c] = Cells.fromJson(col.get(r), f, null, r, where);
            }
        }
        return new FeatureBatch(rows, k, values);
    }

    static FeatureBatch readCsv(byte[] body, ModelSignature sig) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw FlywheelException.invalid("CSV body is empty; send a header row " + String.join(",", sig.inputNames())
                    + " and one row per example");
        }
        List<String> header = new ArrayList<>();
        for (String h : lines[first].split(",", -1)) {
            header.add(unquote(h.strip()));
        }
        int[] target = columnTargets(header, sig, "CSV header");
        int k = sig.inputs().size();
        List<String> rowLines = new ArrayList<>();
        for (int i = first + 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rowLines.add(lines[i]);
            }
        }
        if (rowLines.isEmpty()) {
            throw FlywheelException.invalid("CSV body has a header but no rows");
        }
        float[] values = new float[rowLines.size() * k];
        for (int r = 0; r < rowLines.size(); r++) {
            String[] cells = rowLines.get(r).split(",", -1);
            int row = r;
            if (cells.length != target.length) {
                throw FlywheelException.invalid("CSV row " + (r + 1) + " has " + cells.length + " cells; the header has "
                        + target.length);
            }
            for (int c = 0; c < cells.length; c++) {
                String column = header.get(c);
                values[r * k + target[c]] = Cells.fromText(unquote(cells[c].strip()), sig.inputs().get(target[c]), row,
                        x -> "CSV row " + (row + 1) + " column '" + column + "'");
            }
        }
        return new FeatureBatch(rowLines.size(), k, values);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"' ? s.substring(1, s.length() - 1) : s;
    }

    /** For each given column, the signature index it fills; every feature must be given exactly once. */
    static int[] columnTargets(List<String> names, ModelSignature sig, String where) {
        int k = sig.inputs().size();
        int[] target = new int[names.size()];
        boolean[] seen = new boolean[k];
        for (int i = 0; i < names.size(); i++) {
            int idx = sig.inputIndex(names.get(i));
            if (idx < 0) {
                throw FlywheelException.invalid("unknown feature '" + names.get(i) + "' in " + where + "; the model takes "
                        + sig.inputNames());
            }
            if (seen[idx]) {
                throw FlywheelException.invalid("feature '" + names.get(i) + "' appears twice in " + where);
            }
            seen[idx] = true;
            target[i] = idx;
        }
        for (int c = 0; c < k; c++) {
            if (!seen[c]) {
                throw FlywheelException.invalid("missing feature '" + sig.inputs().get(c).name() + "' in " + where
                        + "; the model takes " + sig.inputNames());
            }
        }
        return target;
    }

    static byte[] writePredictions(ServedModel m, Predictions p) {
        List<TensorSpec> tensors = m.spec().signature().outputTensors();
        if (tensors.size() > 1) {
            return writeTensorRecords(tensors, p);
        }
        List<Feature> outs = tensors.size() == 1 ? List.of(new Feature(tensors.get(0).name(), tensors.get(0).type(), false))
                : m.spec().signature().outputs();
        boolean named = outs.size() > 1 && outs.size() == p.width();
        Feature single = outs.isEmpty() ? Feature.fp32("prediction") : outs.get(0);
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            float[] v = p.values();
            for (int r = 0; r < p.rows(); r++) {
                int base = r * p.width();
                if (p.width() == 1) {
                    OipCodec.writeValue(g, single.type(), v[base]);
                } else if (named) {
                    g.writeStartObject();
                    for (int c = 0; c < p.width(); c++) {
                        g.writeFieldName(outs.get(c).name());
                        OipCodec.writeValue(g, outs.get(c).type(), v[base + c]);
                    }
                    g.writeEndObject();
                } else {
                    g.writeStartArray();
                    for (int c = 0; c < p.width(); c++) {
                        OipCodec.writeValue(g, single.type(), v[base + c]);
                    }
                    g.writeEndArray();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Several output tensors: one record per row, {@code {"label": 1, "probabilities": [0.1, 0.9]}}, as MLflow writes them. */
    private static byte[] writeTensorRecords(List<TensorSpec> tensors, Predictions p) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            float[] v = p.values();
            for (int r = 0; r < p.rows(); r++) {
                g.writeStartObject();
                int column = r * p.width();
                for (TensorSpec t : tensors) {
                    int width = (int) t.rowWidth();
                    g.writeFieldName(t.name());
                    if (t.shape().size() == 1) {
                        OipCodec.writeValue(g, t.type(), v[column]);
                    } else {
                        g.writeStartArray();
                        for (int c = 0; c < width; c++) {
                            OipCodec.writeValue(g, t.type(), v[column + c]);
                        }
                        g.writeEndArray();
                    }
                    column += width;
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
