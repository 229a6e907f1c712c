package dev.flywheel.serving.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.FeatureType;
import dev.flywheel.serving.grpc.InferTensorContents;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferResponse;
import dev.flywheel.serving.grpc.ModelMetadataResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Open Inference Protocol over gRPC: a {@link ModelInferRequest} into the same {@link OipCodec.InferRequest} the REST
 * codec makes (through {@link OipCodec#batch}, so every check and message is shared), typed contents or
 * {@code raw_input_contents}; the answer as typed contents, or as {@code raw_output_contents} when the request sent
 * raw inputs (FP16 outputs are always raw: protobuf has no 16-bit float).
 */
final class GrpcCodec {
    private GrpcCodec() {
    }

    static OipCodec.InferRequest read(ModelInferRequest req, ServedModel m) {
        String modelName = m.spec().modelName();
        if (req.getInputsCount() == 0) {
            throw FlywheelException.invalid("infer request needs a non-empty 'inputs' list; model '" + modelName
                    + "' takes inputs " + (m.spec().signature().hasTensors() ? m.spec().signature().inputTensors()
                    : m.spec().signature().inputNames()));
        }
        boolean raw = req.getRawInputContentsCount() > 0;
        if (raw && req.getRawInputContentsCount() != req.getInputsCount()) {
            throw FlywheelException.invalid("raw_input_contents has " + req.getRawInputContentsCount() + " entries for "
                    + req.getInputsCount() + " inputs; send one per input, in the order of 'inputs'");
        }
        List<OipCodec.Input> inputs = new ArrayList<>(req.getInputsCount());
        for (int i = 0; i < req.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor t = req.getInputs(i);
            if (raw && t.hasContents()) {
                throw FlywheelException.invalid("input '" + t.getName() + "' has 'contents' while the request uses "
                        + "raw_input_contents; send every input one way");
            }
            inputs.add(new ProtoInput(t, raw ? req.getRawInputContents(i) : null, i));
        }
        List<String> outputs = null;
        if (req.getOutputsCount() > 0) {
            outputs = new ArrayList<>(req.getOutputsCount());
            for (int i = 0; i < req.getOutputsCount(); i++) {
                String name = req.getOutputs(i).getName();
                if (name.isEmpty()) {
                    throw FlywheelException.invalid("outputs[" + i + "] needs a name");
                }
                outputs.add(name);
            }
        }
        String id = req.getId().isEmpty() ? null : req.getId();
        return new OipCodec.InferRequest(id, OipCodec.batch(inputs, m.spec().signature(), modelName), outputs, raw);
    }

    static ModelInferResponse write(ServedModel m, OipCodec.InferRequest req, Predictions p) {
        List<OipCodec.OutputTensor> tensors = OipCodec.chosen(m, req, p.width());
        boolean raw = req.raw() || tensors.stream().anyMatch(t -> t.type() == FeatureType.FP16);
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(m.spec().modelName())
                .setModelVersion(m.versionText());
        if (req.id() != null) {
            b.setId(req.id());
        }
        float[] v = p.values();
        for (OipCodec.OutputTensor t : tensors) {
            ModelInferResponse.InferOutputTensor.Builder out = b.addOutputsBuilder()
                    .setName(t.name())
                    .setDatatype(OipCodec.datatype(t.type()))
                    .addShape(p.rows());
            for (long d : t.rowShape()) {
                out.addShape(d);
            }
            if (raw) {
                b.addRawOutputContents(rawOf(t, p));
            } else {
                InferTensorContents.Builder c = out.getContentsBuilder();
                for (int r = 0; r < p.rows(); r++) {
                    int base = r * p.width() + t.firstColumn();
                    for (int col = 0; col < t.columns(); col++) {
                        addTyped(c, t.type(), v[base + col]);
                    }
                }
            }
        }
        return b.build();
    }

    private static void addTyped(InferTensorContents.Builder c, FeatureType type, float value) {
        switch (type) {
            case BOOL -> c.addBoolContents(value != 0f);
            case INT8, INT16, INT32 -> c.addIntContents((int) value);
            case INT64 -> c.addInt64Contents((long) value);
            case UINT8, UINT16, UINT32 -> c.addUintContents((int) (long) value);
            case UINT64 -> c.addUint64Contents((long) value);
            case FP32 -> c.addFp32Contents(value);
            case FP64, FP16, BYTES -> c.addFp64Contents(value);
        }
    }

    private static ByteString rawOf(OipCodec.OutputTensor t, Predictions p) {
        int size = size(t.type());
        ByteBuffer buf = ByteBuffer.allocate(p.rows() * t.columns() * size).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = p.values();
        for (int r = 0; r < p.rows(); r++) {
            int base = r * p.width() + t.firstColumn();
            for (int col = 0; col < t.columns(); col++) {
                float x = v[base + col];
                switch (t.type()) {
                    case BOOL, INT8, UINT8 -> buf.put((byte) (t.type() == FeatureType.BOOL ? (x != 0f ? 1 : 0) : (int) x));
                    case INT16, UINT16 -> buf.putShort((short) (int) x);
                    case FP16 -> buf.putShort(Float.floatToFloat16(x));
                    case INT32 -> buf.putInt((int) x);
                    case UINT32 -> buf.putInt((int) (long) x);
                    case INT64, UINT64 -> buf.putLong((long) x);
                    case FP32 -> buf.putFloat(x);
                    case FP64, BYTES -> buf.putDouble(x);
                }
            }
        }
        return UnsafeByteOperations.unsafeWrap(buf.array());
    }

    /** Bytes per element of a datatype in raw contents. */
    private static int size(FeatureType type) {
        return switch (type) {
            case BOOL, INT8, UINT8 -> 1;
            case INT16, UINT16, FP16 -> 2;
            case INT32, UINT32, FP32 -> 4;
            case INT64, UINT64, FP64, BYTES -> 8;
        };
    }

    private static int size(Datatype type) {
        return switch (type) {
            case BOOL, INT8, UINT8 -> 1;
            case INT16, UINT16, FP16 -> 2;
            case INT32, UINT32, FP32 -> 4;
            case INT64, UINT64, FP64 -> 8;
        };
    }

    static ModelMetadataResponse metadata(ServedModel m) {
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                .setName(m.spec().modelName())
                .addVersions(m.versionText())
                .setPlatform(m.spec().format());
        for (OipCodec.TensorMeta t : OipCodec.inputMetadata(m.spec().signature())) {
            b.addInputsBuilder().setName(t.name()).setDatatype(t.datatype()).addAllShape(t.shape());
        }
        for (OipCodec.TensorMeta t : OipCodec.outputMetadata(m)) {
            b.addOutputsBuilder().setName(t.name()).setDatatype(t.datatype()).addAllShape(t.shape());
        }
        return b.build();
    }

    /** One protobuf input tensor, read lazily like its JSON twin. */
    private static final class ProtoInput implements OipCodec.Input {
        private final ModelInferRequest.InferInputTensor tensor;
        private final ByteString raw;
        private final int index;
        private Datatype datatype;

        ProtoInput(ModelInferRequest.InferInputTensor tensor, ByteString raw, int index) {
            this.tensor = tensor;
            this.raw = raw;
            this.index = index;
        }

        @Override
        public String name() {
            if (tensor.getName().isEmpty()) {
                throw FlywheelException.invalid("inputs[" + index + "] needs a 'name' string");
            }
            return tensor.getName();
        }

        @Override
        public Datatype datatype() {
            if (datatype == null) {
                String name = name();
                if (tensor.getDatatype().isEmpty()) {
                    throw FlywheelException.invalid("input '" + name + "' needs a 'datatype' such as FP32");
                }
                datatype = Datatype.parse(tensor.getDatatype());
                if (datatype == null) {
                    throw FlywheelException.invalid("input '" + name + "' has datatype '" + tensor.getDatatype()
                            + "'; this model takes numeric tensors (FP16, FP32, FP64, INT8..INT64, UINT8..UINT64, BOOL)");
                }
            }
            return datatype;
        }

        @Override
        public long[] shape() {
            if (tensor.getShapeCount() == 0) {
                throw FlywheelException.invalid("input '" + name() + "' needs a 'shape' such as [N] or [N,k]");
            }
            long[] dims = new long[tensor.getShapeCount()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = tensor.getShape(i);
                if (dims[i] < 0) {
                    throw FlywheelException.invalid("input '" + name() + "' shape " + tensor.getShapeList()
                            + " must hold non-negative integers");
                }
            }
            return dims;
        }

        @Override
        public int read(OipCodec.Slots slots) {
            String name = name();
            Datatype declared = datatype();
            Cells.Where where = row -> "input '" + name + "' row " + row;
            return raw != null ? readRaw(slots, name, declared, where) : readTyped(slots, name, declared, where);
        }

        private int readRaw(OipCodec.Slots slots, String name, Datatype declared, Cells.Where where) {
            int size = size(declared);
            if (raw.size() % size != 0) {
                throw FlywheelException.invalid("raw_input_contents[" + index + "] for input '" + name + "' holds " + raw.size()
                        + " bytes, not a whole number of " + declared + " values (" + size + " bytes each)");
            }
            int n = raw.size() / size;
            ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int limit = Math.min(n, slots.limit());
            for (int i = 0; i < limit; i++) {
                Feature f = slots.feature(i);
                int row = slots.row(i);
                float v = switch (declared) {
                    case BOOL -> Cells.fromBool(buf.get() != 0, f, declared, row, where);
                    case INT8 -> Cells.fromLong(buf.get(), f, declared, row, where);
                    case UINT8 -> Cells.fromLong(Byte.toUnsignedInt(buf.get()), f, declared, row, where);
                    case INT16 -> Cells.fromLong(buf.getShort(), f, declared, row, where);
                    case UINT16 -> Cells.fromLong(Short.toUnsignedInt(buf.getShort()), f, declared, row, where);
                    case FP16 -> Cells.fromDouble(Float.float16ToFloat(buf.getShort()), f, declared, row, where);
                    case INT32 -> Cells.fromLong(buf.getInt(), f, declared, row, where);
                    case UINT32 -> Cells.fromLong(Integer.toUnsignedLong(buf.getInt()), f, declared, row, where);
                    case FP32 -> Cells.fromDouble(buf.getFloat(), f, declared, row, where);
                    case INT64 -> Cells.fromLong(buf.getLong(), f, declared, row, where);
                    case UINT64 -> Cells.fromUnsigned64(buf.getLong(), f, declared, row, where);
                    case FP64 -> Cells.fromDouble(buf.getDouble(), f, declared, row, where);
                };
                slots.set(i, v);
            }
            return n;
        }

        private int readTyped(OipCodec.Slots slots, String name, Datatype declared, Cells.Where where) {
            InferTensorContents c = tensor.getContents();
            int n = switch (declared) {
                case BOOL -> c.getBoolContentsCount();
                case INT8, INT16, INT32 -> c.getIntContentsCount();
                case INT64 -> c.getInt64ContentsCount();
                case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
                case UINT64 -> c.getUint64ContentsCount();
                case FP32 -> c.getFp32ContentsCount();
                case FP64 -> c.getFp64ContentsCount();
                case FP16 -> throw FlywheelException.invalid("input '" + name + "' is FP16, which protobuf contents cannot "
                        + "carry; send it in raw_input_contents (2 bytes per value, little-endian)");
            };
            if (n == 0 && totalValues(c) > 0) {
                throw FlywheelException.invalid("input '" + name + "' is " + declared + " but its values are in another "
                        + "contents field; " + declared + " values go in " + field(declared));
            }
            int limit = Math.min(n, slots.limit());
            for (int i = 0; i < limit; i++) {
                Feature f = slots.feature(i);
                int row = slots.row(i);
                float v = switch (declared) {
                    case BOOL -> Cells.fromBool(c.getBoolContents(i), f, declared, row, where);
                    case INT8, INT16, INT32 -> Cells.fromLong(c.getIntContents(i), f, declared, row, where);
                    case INT64 -> Cells.fromLong(c.getInt64Contents(i), f, declared, row, where);
                    case UINT8, UINT16, UINT32 -> Cells.fromLong(Integer.toUnsignedLong(c.getUintContents(i)), f, declared, row, where);
                    case UINT64 -> Cells.fromUnsigned64(c.getUint64Contents(i), f, declared, row, where);
                    case FP32 -> Cells.fromDouble(c.getFp32Contents(i), f, declared, row, where);
                    case FP64 -> Cells.fromDouble(c.getFp64Contents(i), f, declared, row, where);
                    case FP16 -> throw new IllegalStateException("refused above");
                };
                slots.set(i, v);
            }
            return n;
        }

        private static int totalValues(InferTensorContents c) {
            return c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount() + c.getUintContentsCount()
                    + c.getUint64ContentsCount() + c.getFp32ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount();
        }

        private static String field(Datatype type) {
            return switch (type) {
                case BOOL -> "bool_contents";
                case INT8, INT16, INT32 -> "int_contents";
                case INT64 -> "int64_contents";
                case UINT8, UINT16, UINT32 -> "uint_contents";
                case UINT64 -> "uint64_contents";
                case FP32 -> "fp32_contents";
                case FP64 -> "fp64_contents";
                case FP16 -> "raw_input_contents";
            };
        }
    }
}
