package dev.flywheel.client.internal.grpc;

import com.google.protobuf.ByteString;
import dev.flywheel.client.Datatype;
import dev.flywheel.client.InferResponse;
import dev.flywheel.client.ModelMetadata;
import dev.flywheel.client.Tensor;
import dev.flywheel.client.internal.OipTransport;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.InferTensorContents;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferResponse;
import dev.flywheel.serving.grpc.ModelMetadataRequest;
import dev.flywheel.serving.grpc.ModelMetadataResponse;
import dev.flywheel.serving.grpc.ModelReadyRequest;
import dev.flywheel.serving.grpc.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}) on one plaintext HTTP/2 channel.
 * Every call has a deadline of the client's timeout. A call answered {@code UNAVAILABLE} (the server could not be
 * reached, or it refused the call before handling it, as while shutting down) is tried again with doubling backoff;
 * no other failure is retried, so a call the server handled is never sent twice.
 */
public final class GrpcTransport implements OipTransport {
    private final String target;
    private final ManagedChannel channel;
    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final boolean raw;

    /** Settings, already checked by the client's builder. */
    public record Settings(String host, int port, Duration connectTimeout, Duration timeout, int retries, Duration backoff,
                           boolean rawContents) {
    }

    public GrpcTransport(Settings s) {
        this.target = s.host() + ":" + s.port();
        this.channel = NettyChannelBuilder.forAddress(s.host(), s.port()).usePlaintext()
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, s.connectTimeout().toMillis()))
                .maxInboundMessageSize(256 * 1024 * 1024)
                .build();
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.timeout = s.timeout();
        this.retries = s.retries();
        this.backoff = s.backoff();
        this.raw = s.rawContents();
    }

    @Override
    public InferResponse infer(String model, String version, List<Tensor> inputs, List<String> outputs) {
        ModelInferRequest.Builder req = ModelInferRequest.newBuilder().setModelName(model);
        if (version != null) {
            req.setModelVersion(version);
        }
        // Protobuf has no 16-bit float field: a request with an FP16 input goes raw, every input alike.
        boolean rawRequest = raw || inputs.stream().anyMatch(t -> t.datatype() == Datatype.FP16);
        for (Tensor t : inputs) {
            ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(t.name()).setDatatype(t.datatype().name());
            for (long d : t.shape()) {
                in.addShape(d);
            }
            if (rawRequest) {
                req.addRawInputContents(TensorBytes.encode(t));
            } else {
                in.setContents(contents(t));
            }
            req.addInputs(in);
        }
        for (String name : outputs) {
            req.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(name));
        }
        ModelInferRequest built = req.build();
        ModelInferResponse r = call("ModelInfer", s -> s.modelInfer(built));
        List<Tensor> tensors = new ArrayList<>(r.getOutputsCount());
        boolean rawAnswer = r.getRawOutputContentsCount() > 0;
        if (rawAnswer && r.getRawOutputContentsCount() != r.getOutputsCount()) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "ModelInfer on " + target + " answered " + r.getOutputsCount()
                    + " outputs with " + r.getRawOutputContentsCount() + " raw_output_contents; OIP needs one per output");
        }
        for (int i = 0; i < r.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor o = r.getOutputs(i);
            tensors.add(output(o, rawAnswer ? r.getRawOutputContents(i) : null));
        }
        return new InferResponse(r.getModelName(), r.getModelVersion(), r.getId().isEmpty() ? null : r.getId(), tensors);
    }

    @Override
    public ModelMetadata metadata(String model, String version) {
        ModelMetadataRequest.Builder req = ModelMetadataRequest.newBuilder().setName(model);
        if (version != null) {
            req.setVersion(version);
        }
        ModelMetadataResponse m = call("ModelMetadata", s -> s.modelMetadata(req.build()));
        return new ModelMetadata(m.getName(), m.getVersionsList(), m.getPlatform(),
                m.getInputsList().stream().map(t -> new ModelMetadata.TensorSpec(t.getName(), t.getDatatype(), t.getShapeList())).toList(),
                m.getOutputsList().stream().map(t -> new ModelMetadata.TensorSpec(t.getName(), t.getDatatype(), t.getShapeList())).toList());
    }

    @Override
    public boolean serverReady() {
        try {
            return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .serverReady(ServerReadyRequest.getDefaultInstance()).getReady();
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean modelReady(String model, String version) {
        ModelReadyRequest.Builder req = ModelReadyRequest.newBuilder().setName(model);
        if (version != null) {
            req.setVersion(version);
        }
        try {
            return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).modelReady(req.build()).getReady();
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One RPC with a fresh deadline per attempt, retried on UNAVAILABLE only. */
    private <T> T call(String rpc, Function<GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub, T> body) {
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return body.apply(stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.UNAVAILABLE || attempt > retries) {
                    throw error(rpc, e.getStatus(), attempt);
                }
                LockSupport.parkNanos(wait.toNanos());
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while retrying " + rpc + " on " + target);
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    private FlywheelException error(String rpc, Status status, int attempts) {
        String what = rpc + " on " + target;
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, RESOURCE_EXHAUSTED -> new FlywheelException(ErrorCode.INVALID_ARGUMENT,
                    what + " answered " + status.getCode() + ": " + description);
            case NOT_FOUND -> new FlywheelException(ErrorCode.NOT_FOUND, what + " answered NOT_FOUND: " + description);
            case FAILED_PRECONDITION -> new FlywheelException(ErrorCode.CONFLICT, what + " answered FAILED_PRECONDITION: " + description);
            case UNAUTHENTICATED -> new FlywheelException(ErrorCode.UNAUTHENTICATED, what + " answered UNAUTHENTICATED: " + description);
            case PERMISSION_DENIED -> new FlywheelException(ErrorCode.PERMISSION_DENIED, what + " answered PERMISSION_DENIED: " + description);
            case DEADLINE_EXCEEDED -> new FlywheelException(ErrorCode.UNAVAILABLE, "No answer from " + what + " within "
                    + timeout.toMillis() + " ms (not retried: the server may have received it)");
            case UNAVAILABLE -> new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot reach " + what + " after " + attempts
                    + " attempt" + (attempts == 1 ? "" : "s") + ": " + (description.isEmpty() ? "UNAVAILABLE" : description)
                    + "; is the server running with --grpc-port? (flywheel served-models list)");
            default -> new FlywheelException(ErrorCode.UNAVAILABLE, what + " answered " + status.getCode() + ": " + description);
        };
    }

    /** The typed contents field of each datatype; FP16 has none (see {@link #infer}). */
    private static InferTensorContents contents(Tensor t) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        switch (t.datatype()) {
            case BOOL -> {
                for (boolean b : t.booleans()) {
                    c.addBoolContents(b);
                }
            }
            case INT8, INT16, INT32 -> {
                for (long v : t.longs()) {
                    c.addIntContents((int) v);
                }
            }
            case INT64 -> {
                for (long v : t.longs()) {
                    c.addInt64Contents(v);
                }
            }
            case UINT8, UINT16, UINT32 -> {
                for (long v : t.longs()) {
                    c.addUintContents((int) v);
                }
            }
            case UINT64 -> {
                for (long v : t.longs()) {
                    c.addUint64Contents(v);
                }
            }
            case FP32 -> {
                for (float v : t.floats()) {
                    c.addFp32Contents(v);
                }
            }
            case FP64 -> {
                for (double v : t.doubles()) {
                    c.addFp64Contents(v);
                }
            }
            case BYTES -> {
                for (String s : t.strings()) {
                    c.addBytesContents(ByteString.copyFromUtf8(s));
                }
            }
            case FP16 -> throw new IllegalStateException("FP16 inputs are sent raw");
        }
        return c.build();
    }

    private Tensor output(ModelInferResponse.InferOutputTensor o, ByteString rawBytes) {
        Datatype datatype;
        try {
            datatype = Datatype.valueOf(o.getDatatype());
        } catch (IllegalArgumentException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "ModelInfer on " + target + " answered output '" + o.getName()
                    + "' with the unknown datatype '" + o.getDatatype() + "'");
        }
        long[] shape = o.getShapeList().stream().mapToLong(Long::longValue).toArray();
        try {
            Object data = rawBytes != null ? TensorBytes.decode(datatype, rawBytes) : typed(datatype, o.getContents());
            return Tensor.of(o.getName(), datatype, shape, data);
        } catch (IllegalArgumentException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "ModelInfer on " + target + " answered a malformed output '"
                    + o.getName() + "': " + e.getMessage());
        }
    }

    private static Object typed(Datatype datatype, InferTensorContents c) {
        return switch (datatype) {
            case BOOL -> {
                boolean[] b = new boolean[c.getBoolContentsCount()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = c.getBoolContents(i);
                }
                yield b;
            }
            case INT8, INT16, INT32 -> c.getIntContentsList().stream().mapToLong(Integer::longValue).toArray();
            case INT64 -> c.getInt64ContentsList().stream().mapToLong(Long::longValue).toArray();
            case UINT8, UINT16, UINT32 -> c.getUintContentsList().stream().mapToLong(Integer::toUnsignedLong).toArray();
            case UINT64 -> c.getUint64ContentsList().stream().mapToLong(Long::longValue).toArray();
            case FP32 -> {
                float[] f = new float[c.getFp32ContentsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = c.getFp32Contents(i);
                }
                yield f;
            }
            case FP64 -> c.getFp64ContentsList().stream().mapToDouble(Double::doubleValue).toArray();
            case BYTES -> c.getBytesContentsList().stream().map(ByteString::toStringUtf8).toArray(String[]::new);
            case FP16 -> throw new IllegalArgumentException("FP16 comes only as raw_output_contents");
        };
    }

    /** Tensors as {@code raw_*_contents}: little-endian, row-major; BYTES elements each prefixed by a 4-byte length. */
    static final class TensorBytes {
        private TensorBytes() {
        }

        static ByteString encode(Tensor t) {
            int n = t.size();
            ByteBuffer b = switch (t.datatype()) {
                case BOOL -> {
                    ByteBuffer x = buffer(n);
                    for (boolean v : t.booleans()) {
                        x.put((byte) (v ? 1 : 0));
                    }
                    yield x;
                }
                case INT8, UINT8 -> {
                    ByteBuffer x = buffer(n);
                    for (long v : t.longs()) {
                        x.put((byte) v);
                    }
                    yield x;
                }
                case INT16, UINT16 -> {
                    ByteBuffer x = buffer(2 * n);
                    for (long v : t.longs()) {
                        x.putShort((short) v);
                    }
                    yield x;
                }
                case INT32, UINT32 -> {
                    ByteBuffer x = buffer(4 * n);
                    for (long v : t.longs()) {
                        x.putInt((int) v);
                    }
                    yield x;
                }
                case INT64, UINT64 -> {
                    ByteBuffer x = buffer(8 * n);
                    for (long v : t.longs()) {
                        x.putLong(v);
                    }
                    yield x;
                }
                case FP16 -> {
                    ByteBuffer x = buffer(2 * n);
                    for (float v : t.floats()) {
                        x.putShort(Float.floatToFloat16(v));
                    }
                    yield x;
                }
                case FP32 -> {
                    ByteBuffer x = buffer(4 * n);
                    for (float v : t.floats()) {
                        x.putFloat(v);
                    }
                    yield x;
                }
                case FP64 -> {
                    ByteBuffer x = buffer(8 * n);
                    for (double v : t.doubles()) {
                        x.putDouble(v);
                    }
                    yield x;
                }
                case BYTES -> {
                    List<byte[]> items = Arrays.stream(t.strings()).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
                    ByteBuffer x = buffer(items.stream().mapToInt(a -> 4 + a.length).sum());
                    for (byte[] item : items) {
                        x.putInt(item.length).put(item);
                    }
                    yield x;
                }
            };
            b.flip();
            return ByteString.copyFrom(b);
        }

        static Object decode(Datatype datatype, ByteString bytes) {
            ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int size = b.remaining();
            return switch (datatype) {
                case BOOL -> {
                    boolean[] out = new boolean[size];
                    for (int i = 0; i < size; i++) {
                        out[i] = b.get() != 0;
                    }
                    yield out;
                }
                case INT8 -> longs(size, 1, b, x -> x.get());
                case UINT8 -> longs(size, 1, b, x -> Byte.toUnsignedLong(x.get()));
                case INT16 -> longs(size, 2, b, x -> x.getShort());
                case UINT16 -> longs(size, 2, b, x -> Short.toUnsignedLong(x.getShort()));
                case INT32 -> longs(size, 4, b, x -> x.getInt());
                case UINT32 -> longs(size, 4, b, x -> Integer.toUnsignedLong(x.getInt()));
                case INT64, UINT64 -> longs(size, 8, b, ByteBuffer::getLong);
                case FP16 -> {
                    float[] out = new float[whole(size, 2)];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.float16ToFloat(b.getShort());
                    }
                    yield out;
                }
                case FP32 -> {
                    float[] out = new float[whole(size, 4)];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = b.getFloat();
                    }
                    yield out;
                }
                case FP64 -> {
                    double[] out = new double[whole(size, 8)];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = b.getDouble();
                    }
                    yield out;
                }
                case BYTES -> {
                    List<String> out = new ArrayList<>();
                    while (b.remaining() >= 4) {
                        int length = b.getInt();
                        if (length < 0 || length > b.remaining()) {
                            throw new IllegalArgumentException("a BYTES element of " + length + " bytes where " + b.remaining() + " remain");
                        }
                        byte[] item = new byte[length];
                        b.get(item);
                        out.add(new String(item, StandardCharsets.UTF_8));
                    }
                    if (b.hasRemaining()) {
                        throw new IllegalArgumentException(b.remaining() + " stray bytes after the last BYTES element");
                    }
                    yield out.toArray(String[]::new);
                }
            };
        }

        private interface Reader {
            long read(ByteBuffer b);
        }

        private static long[] longs(int size, int width, ByteBuffer b, Reader reader) {
            long[] out = new long[whole(size, width)];
            for (int i = 0; i < out.length; i++) {
                out[i] = reader.read(b);
            }
            return out;
        }

        private static int whole(int size, int width) {
            if (size % width != 0) {
                throw new IllegalArgumentException(size + " raw bytes are not a whole number of " + width + "-byte values");
            }
            return size / width;
        }

        private static ByteBuffer buffer(int bytes) {
            return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
