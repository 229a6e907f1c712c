package dev.flywheel.client.internal.grpc;

import com.google.protobuf.ByteString;
import dev.flywheel.client.Datatype;
import dev.flywheel.client.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** raw_input_contents as OIP lays them out (little-endian, row-major, BYTES length-prefixed), for every datatype. */
class RawContentsTest {
    private static final long[] SHAPE = {2, 2};

    private static List<Tensor> everyDatatype() {
        List<Tensor> all = new ArrayList<>();
        all.add(Tensor.bool("bool", SHAPE, true, false, false, true));
        all.add(Tensor.of("int8", Datatype.INT8, SHAPE, new long[]{-128, -1, 0, 127}));
        all.add(Tensor.of("uint8", Datatype.UINT8, SHAPE, new long[]{0, 1, 128, 255}));
        all.add(Tensor.of("int16", Datatype.INT16, SHAPE, new long[]{-32768, -1, 0, 32767}));
        all.add(Tensor.of("uint16", Datatype.UINT16, SHAPE, new long[]{0, 1, 32768, 65535}));
        all.add(Tensor.int32("int32", SHAPE, Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE));
        all.add(Tensor.of("uint32", Datatype.UINT32, SHAPE, new long[]{0, 1, 2147483648L, 4294967295L}));
        all.add(Tensor.int64("int64", SHAPE, Long.MIN_VALUE, -1, 0, Long.MAX_VALUE));
        all.add(Tensor.of("uint64", Datatype.UINT64, SHAPE, new long[]{0, 1, Long.MAX_VALUE, -1}));
        all.add(Tensor.of("fp16", Datatype.FP16, SHAPE, new float[]{-65504f, -0.5f, 0f, 1.5f}));
        all.add(Tensor.fp32("fp32", SHAPE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, 3.25f));
        all.add(Tensor.fp64("fp64", SHAPE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.1, 1e300));
        all.add(Tensor.bytes("bytes", SHAPE, "", "a", "día", "a longer string with spaces"));
        return all;
    }

    @Test
    void everyDatatypeReadsBackAsItWasWritten() {
        for (Tensor t : everyDatatype()) {
            ByteString raw = GrpcTransport.TensorBytes.encode(t);
            Tensor back = Tensor.of(t.name(), t.datatype(), t.shape(), GrpcTransport.TensorBytes.decode(t.datatype(), raw));
            assertThat(back).as(t.toString()).isEqualTo(t);
        }
    }

    @Test
    void valuesAreLittleEndianAndBytesAreLengthPrefixed() {
        assertThat(GrpcTransport.TensorBytes.encode(Tensor.int32("x", new long[]{1}, 1)).toByteArray()).containsExactly(1, 0, 0, 0);
        assertThat(GrpcTransport.TensorBytes.encode(Tensor.fp32("x", new long[]{1}, 1f)).toByteArray())
                .containsExactly(0, 0, (byte) 0x80, 0x3f);
        assertThat(GrpcTransport.TensorBytes.encode(Tensor.bytes("x", new long[]{1}, "ab")).toByteArray()).containsExactly(2, 0, 0, 0, 'a', 'b');
    }

    @Test
    void rawBytesThatAreNotWholeValuesAreRefused() {
        assertThatThrownBy(() -> GrpcTransport.TensorBytes.decode(Datatype.FP32, ByteString.copyFrom(new byte[]{1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 raw bytes are not a whole number of 4-byte values");
        assertThatThrownBy(() -> GrpcTransport.TensorBytes.decode(Datatype.BYTES, ByteString.copyFrom(new byte[]{9, 0, 0, 0, 'a'})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a BYTES element of 9 bytes where 1 remain");
    }
}
