package dev.flywheel.serving.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.sdk.model.ModelSignature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OIP v2 infer request with Jackson's streaming parser, each value straight into the batch's float buffer
 * (no {@code JsonNode} tree). It takes the requests clients send: every input's {@code name}, {@code datatype} and
 * {@code shape} before its {@code data}, as the protocol's examples, KServe's, Triton's and Flywheel's own clients
 * write them. Anything else (an error of any kind, a header field after {@code data}, a repeated key) throws, and
 * {@link OipCodec#read(byte[], ModelSignature, String)} reads the body again as a tree: the tree reader stays the one
 * authority on what a bad request is told, so errors cost a second parse and good requests none.
 */
final class OipStream {
    private OipStream() {
    }

    static OipCodec.InferRequest read(byte[] body, ModelSignature sig, String modelName) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Leave.INSTANCE;
            }
            String id = null;
            boolean seenId = false;
            boolean seenParameters = false;
            boolean seenOutputs = false;
            FeatureBatch batch = null;
            List<String> outputs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> {
                        seenId = once(seenId);
                        if (t == JsonToken.VALUE_STRING) {
                            id = p.getText();
                        } else if (t != JsonToken.VALUE_NULL) {
                            throw Leave.INSTANCE;
                        }
                    }
                    case "parameters" -> {
                        seenParameters = once(seenParameters);
                        if (t == JsonToken.START_OBJECT) {
                            p.skipChildren();
                        } else if (t != JsonToken.VALUE_NULL) {
                            throw Leave.INSTANCE;
                        }
                    }
                    case "inputs" -> {
                        once(batch != null);
                        batch = inputs(p, sig, modelName);
                    }
                    case "outputs" -> {
                        seenOutputs = once(seenOutputs);
                        outputs = t == JsonToken.VALUE_NULL ? null : outputs(p);
                    }
                    default -> p.skipChildren();
                }
            }
            // The tree reader refuses trailing tokens after the object; so does this one (the tree tells why).
            if (batch == null || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw Leave.INSTANCE;
            }
            return new OipCodec.InferRequest(id, batch, outputs);
        }
    }

    /** A key given twice: the tree keeps the last, so only the tree reader answers it. */
    private static boolean once(boolean seen) {
        if (seen) {
            throw Leave.INSTANCE;
        }
        return true;
    }

    private static FeatureBatch inputs(JsonParser p, ModelSignature sig, String modelName) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw Leave.INSTANCE;
        }
        OipCodec.Assembly assembly = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String name = null;
            Datatype datatype = null;
            long[] shape = null;
            boolean data = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> {
                        if (name != null || v != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
                            throw Leave.INSTANCE;
                        }
                        name = p.getText();
                    }
                    case "datatype" -> {
                        if (datatype != null || v != JsonToken.VALUE_STRING) {
                            throw Leave.INSTANCE;
                        }
                        datatype = Datatype.parse(p.getText());
                        if (datatype == null) {
                            throw Leave.INSTANCE;
                        }
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw Leave.INSTANCE;
                        }
                        shape = shape(p);
                    }
                    case "data" -> {
                        if (data || name == null || datatype == null || shape == null || v != JsonToken.START_ARRAY) {
                            throw Leave.INSTANCE;
                        }
                        data = true;
                        if (assembly == null) {
                            assembly = OipCodec.assembly(sig, modelName, name, true);
                        }
                        assembly.add(new StreamInput(p, name, datatype, shape));
                    }
                    default -> p.skipChildren();
                }
            }
            if (!data) {
                throw Leave.INSTANCE;
            }
        }
        if (t != JsonToken.END_ARRAY || assembly == null) {
            throw Leave.INSTANCE;
        }
        return assembly.finish();
    }

    private static long[] shape(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw Leave.INSTANCE;
        }
        long[] dims = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw Leave.INSTANCE;
            }
            if (n == dims.length) {
                dims = java.util.Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = p.getLongValue();
        }
        if (t != JsonToken.END_ARRAY || n == 0) {
            throw Leave.INSTANCE;
        }
        return java.util.Arrays.copyOf(dims, n);
    }

    private static List<String> outputs(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw Leave.INSTANCE;
        }
        List<String> names = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    if (name != null || v != JsonToken.VALUE_STRING) {
                        throw Leave.INSTANCE;
                    }
                    name = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw Leave.INSTANCE;
            }
            names.add(name);
        }
        if (t != JsonToken.END_ARRAY) {
            throw Leave.INSTANCE;
        }
        return names;
    }

    /** An input whose header is read and whose parser stands on its {@code data} array. */
    private static final class StreamInput implements OipCodec.Input {
        private final JsonParser p;
        private final String name;
        private final Datatype datatype;
        private final long[] shape;
        private int count;

        StreamInput(JsonParser p, String name, Datatype datatype, long[] shape) {
            this.p = p;
            this.name = name;
            this.datatype = datatype;
            this.shape = shape;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Datatype datatype() {
            return datatype;
        }

        @Override
        public long[] shape() {
            return shape;
        }

        @Override
        public int read(OipCodec.Slots slots) {
            Cells.Where where = row -> "input '" + name + "' row " + row;
            try {
                array(slots, slots.limit(), where);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return count;
        }

        /** Flat or nested, row-major; more values than the shape holds is an error, so reading stops there. */
        private void array(OipCodec.Slots slots, int limit, Cells.Where where) throws IOException {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.START_ARRAY) {
                    array(slots, limit, where);
                } else {
                    int i = count++;
                    if (i >= limit) {
                        throw Leave.INSTANCE;
                    }
                    slots.set(i, Cells.fromToken(p, t, slots.feature(i), datatype, slots.row(i), where));
                }
            }
        }
    }

    /** The stream leaves this request to the tree reader; thrown often on bad input, so it carries no stack. */
    static final class Leave extends RuntimeException {
        static final Leave INSTANCE = new Leave();

        private Leave() {
            super("left to the tree reader", null, false, false);
        }
    }
}
