package dev.flywheel.serving.internal;

import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one scoring path every transport calls: route (take one version for the whole request and check it is the
 * one asked for), decode the body against that version's signature, score, encode, run the {@link PredictionHook}s,
 * record the metrics, release the version. REST ({@code HttpApi}) and gRPC ({@code GrpcInference}) differ only in
 * their codecs, so validation, hot swap, routing, logging and metrics are the same on both.
 */
public final class Scoring {
    private static final Logger log = LoggerFactory.getLogger(Scoring.class);

    /** Reads a request's body against the version it was routed to. */
    @FunctionalInterface
    public interface Decoder<Q extends ScoringRequest> {
        Q decode(ServedModel version) throws Exception;
    }

    /** Writes the answer in the transport's form. */
    @FunctionalInterface
    public interface Encoder<Q extends ScoringRequest, R> {
        R encode(ServedModel version, Q request, Predictions predictions) throws Exception;
    }

    private final ModelSlot slot;
    private final List<PredictionHook> hooks = new CopyOnWriteArrayList<>();

    public Scoring(ModelSlot slot) {
        this.slot = slot;
    }

    /** Adds a hook that sees every scored request from now on (see {@link PredictionHook} for the rules). */
    public void addHook(PredictionHook hook) {
        hooks.add(hook);
    }

    /**
     * Answers one prediction request.
     *
     * @param routed told the version as soon as the request is routed (the transport names it in its answer,
     *               errors included)
     * @throws RequestRejected 503 while shutting down, 404 for another model or version; whatever the decoder,
     *         the model or the encoder throw (FlywheelException INVALID_ARGUMENT for a bad request)
     */
    public <Q extends ScoringRequest, R> R score(ScoreCall call, Consumer<ServedModel> routed, Decoder<Q> decoder,
                                                 Encoder<Q, R> encoder) throws Exception {
        ServedModel m = slot.acquire();
        if (m == null) {
            throw new RequestRejected(503, "the server is shutting down");
        }
        int status = 200;
        try {
            routed.accept(m);
            checkTarget(call, m);
            Q request = decoder.decode(m);
            FeatureBatch batch = request.batch();
            Predictions p = predict(m, batch);
            R answer = encoder.encode(m, request, p);
            for (PredictionHook hook : hooks) {
                try {
                    hook.scored(call, m, batch, p);
                } catch (RuntimeException e) {
                    log.warn("prediction hook {} failed; the request is answered anyway", hook, e);
                }
            }
            return answer;
        } catch (Exception | Error e) {
            status = httpStatus(e);
            throw e;
        } finally {
            m.meters().record(call.endpoint(), System.nanoTime() - call.startNanos(), status);
            slot.release(m);
        }
    }

    /** A request for another model, or another version than the one served, is a 404 naming what is served. */
    static void checkTarget(ScoreCall call, ServedModel m) {
        String served = m.spec().modelName();
        if (!call.modelName().equals(served)) {
            throw new RequestRejected(404, "model '" + call.modelName() + "' is not served here; this server serves '"
                    + served + "' version " + m.versionText());
        }
        if (call.version() != null && !call.version().isEmpty() && !call.version().equals(m.versionText())) {
            throw new RequestRejected(404, "version '" + call.version() + "' of model '" + call.modelName()
                    + "' is not served here; the served version is " + m.versionText());
        }
    }

    private static Predictions predict(ServedModel m, FeatureBatch batch) {
        Predictions p = m.predict(batch);
        if (p.rows() != batch.rows()) {
            throw new IllegalStateException("model returned " + p.rows() + " rows for " + batch.rows() + " input rows");
        }
        return p;
    }

    /** The HTTP status a failure answers with; gRPC maps the same to its codes. */
    public static int httpStatus(Throwable e) {
        if (e instanceof RequestRejected r) {
            return r.status();
        }
        if (e instanceof FlywheelException f) {
            return f.code().httpStatus();
        }
        return 500;
    }
}
