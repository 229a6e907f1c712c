package dev.flywheel.formats.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.flywheel.sdk.model.FeatureType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * The ONNX tensor element types Flywheel feeds and reads. Batches travel as 32-bit floats; each element type
 * converts them into its tensor and its tensor back (exact for whole numbers up to 2^24).
 */
enum Element {
    FLOAT(FeatureType.FP32),
    DOUBLE(FeatureType.FP64),
    FLOAT16(FeatureType.FP16),
    INT8(FeatureType.INT8),
    UINT8(FeatureType.UINT8),
    INT16(FeatureType.INT16),
    INT32(FeatureType.INT32),
    INT64(FeatureType.INT64),
    BOOL(FeatureType.BOOL);

    final FeatureType featureType;

    Element(FeatureType featureType) {
        this.featureType = featureType;
    }

    /** The element type of a graph tensor, or {@code null} when Flywheel cannot feed or read it (strings, uint16..64, ...). */
    static Element of(TensorInfo info) {
        return switch (info.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DOUBLE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128, ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FN, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FNUZ,
                 ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2FNUZ -> null;
        };
    }

    /** A tensor of this type and {@code shape} holding {@code values} (row-major, already in the tensor's order). */
    OnnxTensor tensor(OrtEnvironment env, float[] values, long[] shape) throws OrtException {
        int n = values.length;
        return switch (this) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
            case DOUBLE -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = values[i];
                }
                yield OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
            }
            case FLOAT16 -> {
                short[] h = new short[n];
                for (int i = 0; i < n; i++) {
                    h[i] = Float.floatToFloat16(values[i]);
                }
                yield OnnxTensor.createTensor(env, ShortBuffer.wrap(h), shape, OnnxJavaType.FLOAT16);
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    b.put(i, this == BOOL ? (byte) (values[i] != 0f ? 1 : 0) : (byte) (int) values[i]);
                }
                yield OnnxTensor.createTensor(env, b, shape, this == INT8 ? OnnxJavaType.INT8
                        : this == UINT8 ? OnnxJavaType.UINT8 : OnnxJavaType.BOOL);
            }
            case INT16 -> {
                short[] s = new short[n];
                for (int i = 0; i < n; i++) {
                    s[i] = (short) values[i];
                }
                yield OnnxTensor.createTensor(env, ShortBuffer.wrap(s), shape, OnnxJavaType.INT16);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) values[i];
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(v), shape);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) values[i];
                }
                yield OnnxTensor.createTensor(env, LongBuffer.wrap(v), shape);
            }
        };
    }

    /** The tensor's values as floats, row-major. */
    float[] read(OnnxTensor tensor) {
        return switch (this) {
            case FLOAT -> {
                FloatBuffer b = tensor.getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                yield out;
            }
            case DOUBLE -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                float[] out = new float[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.get(i);
                }
                yield out;
            }
            case FLOAT16, INT16 -> {
                ShortBuffer b = tensor.getShortBuffer();
                float[] out = new float[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = this == FLOAT16 ? Float.float16ToFloat(b.get(i)) : b.get(i);
                }
                yield out;
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                float[] out = new float[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    byte v = b.get(i);
                    out[i] = this == UINT8 ? (v & 0xff) : this == BOOL ? (v != 0 ? 1f : 0f) : v;
                }
                yield out;
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                float[] out = new float[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                yield out;
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                float[] out = new float[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                yield out;
            }
        };
    }
}
