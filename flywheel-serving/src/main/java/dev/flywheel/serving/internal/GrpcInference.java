package dev.flywheel.serving.internal;

import dev.flywheel.serving.grpc.GRPCInferenceServiceGrpc;
import dev.flywheel.serving.grpc.ModelInferRequest;
import dev.flywheel.serving.grpc.ModelInferResponse;
import dev.flywheel.serving.grpc.ModelMetadataRequest;
import dev.flywheel.serving.grpc.ModelMetadataResponse;
import dev.flywheel.serving.grpc.ModelReadyRequest;
import dev.flywheel.serving.grpc.ModelReadyResponse;
import dev.flywheel.serving.grpc.ServerLiveRequest;
import dev.flywheel.serving.grpc.ServerLiveResponse;
import dev.flywheel.serving.grpc.ServerMetadataRequest;
import dev.flywheel.serving.grpc.ServerMetadataResponse;
import dev.flywheel.serving.grpc.ServerReadyRequest;
import dev.flywheel.serving.grpc.ServerReadyResponse;
import io.grpc.stub.StreamObserver;

import java.util.function.BooleanSupplier;

/**
 * {@code inference.GRPCInferenceService}: the gRPC shell over the same {@link Scoring} path as REST. ModelInfer
 * decodes with {@link GrpcCodec}; every failure ends the call with the status {@link GrpcStatus} maps it to and the
 * message REST would send.
 */
final class GrpcInference extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final ModelSlot slot;
    private final Scoring scoring;
    private final String serverVersion;
    private final BooleanSupplier closing;

    GrpcInference(ModelSlot slot, Scoring scoring, String serverVersion, BooleanSupplier closing) {
        this.slot = slot;
        this.scoring = scoring;
        this.serverVersion = serverVersion;
        this.closing = closing;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(Endpoint.GRPC_HEALTH, out, ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(Endpoint.GRPC_HEALTH, out, ServerReadyResponse.newBuilder().setReady(!closing.getAsBoolean()).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(Endpoint.GRPC_SERVER, out, ServerMetadataResponse.newBuilder().setName("flywheel-serving")
                .setVersion(serverVersion).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        aboutModel(Endpoint.GRPC_MODEL_READY, request.getName(), request.getVersion(), out,
                m -> ModelReadyResponse.newBuilder().setReady(!closing.getAsBoolean()).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        aboutModel(Endpoint.GRPC_MODEL_METADATA, request.getName(), request.getVersion(), out, GrpcCodec::metadata);
    }

    /** An RPC about the served model that predicts nothing: checked like a prediction (NOT_FOUND), metered. */
    private <T> void aboutModel(Endpoint endpoint, String name, String version, StreamObserver<T> out,
                                java.util.function.Function<ServedModel, T> answer) {
        long start = System.nanoTime();
        ServedModel m = slot.peek();
        try {
            Scoring.checkTarget(new ScoreCall(endpoint, name, version, null, start), m);
            done(out, answer.apply(m));
            m.meters().record(endpoint, System.nanoTime() - start, 200);
        } catch (RuntimeException e) {
            m.meters().record(endpoint, System.nanoTime() - start, Scoring.httpStatus(e));
            out.onError(GrpcStatus.of(e));
        }
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        ScoreCall call = new ScoreCall(Endpoint.GRPC_INFER, request.getModelName(), request.getModelVersion(),
                request.getId().isEmpty() ? null : request.getId(), System.nanoTime());
        ModelInferResponse response;
        try {
            response = scoring.score(call, m -> { }, m -> GrpcCodec.read(request, m), GrpcCodec::write);
        } catch (Exception e) {
            out.onError(GrpcStatus.of(e));
            return;
        }
        done(out, response);
    }

    private <T> void answer(Endpoint endpoint, StreamObserver<T> out, T response) {
        long start = System.nanoTime();
        done(out, response);
        slot.peek().meters().record(endpoint, System.nanoTime() - start, 200);
    }

    private static <T> void done(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }
}
