package dev.flywheel.serving.internal;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Changes what is served without dropping a request: a new version loads and warms up while the current ones serve,
 * then one atomic write switches the slot's routing, and a version leaving it closes once its in-flight requests
 * finish. A version that fails to load changes nothing. Swaps and traffic changes run one at a time.
 */
public final class HotSwap {
    private static final Logger log = LoggerFactory.getLogger(HotSwap.class);
    private final ModelSlot slot;
    private final ModelLoader loader;
    private boolean closed;

    public HotSwap(ModelSlot slot, ModelLoader loader) {
        this.slot = slot;
        this.loader = loader;
    }

    public synchronized ServedModel swap(ModelVersionSpec spec) {
        requireOpen();
        ServedModel current = slot.peek();
        String served = current.spec().modelName();
        requireSameModel(spec, served);
        if (!(slot.routing() instanceof Routing.Single)) {
            throw FlywheelException.conflict("a rollout serves version " + challenger(slot.routing()).versionText() + " beside version "
                    + current.versionText() + "; promote or abort it before swapping (POST /admin/traffic)");
        }
        ServedModel next;
        try {
            next = loader.load(spec);
        } catch (FlywheelException e) {
            log.warn("swap rejected, keeping model={} version={}: {}", served, current.spec().version(), e.getMessage());
            throw e;
        }
        slot.replace(next);
        log.info("swapped model={} from version={} to version={}", served, current.spec().version(), spec.version());
        return next;
    }

    /** Applies a traffic command as one switch of the routing (loading a new challenger beside first). */
    public synchronized void apply(TrafficCommand command) {
        requireOpen();
        Routing now = slot.routing();
        ServedModel champion = now.champion();
        switch (command) {
            case TrafficCommand.Split split -> {
                ModelVersionSpec spec = split.challenger();
                requireSameModel(spec, champion.spec().modelName());
                if (spec.version() == champion.spec().version()) {
                    throw FlywheelException.conflict("version " + spec.version() + " is the champion already; a challenger must be another version");
                }
                ServedModel existing = now instanceof Routing.Single ? null : challenger(now);
                ServedModel next = existing != null && sameVersion(existing.spec(), spec) ? existing : loader.load(spec);
                slot.route(split.mode() == TrafficMode.CANARY ? new Routing.Canary(champion, next, split.weight())
                        : new Routing.Shadow(champion, next, split.weight()));
                log.info("traffic model={} champion={} {} version={} weight={}%", spec.modelName(), champion.versionText(), split.mode().label(),
                        next.versionText(), split.weight());
            }
            case TrafficCommand.Promote p -> {
                if (now instanceof Routing.Single) {
                    throw FlywheelException.conflict("no challenger to promote: version " + champion.versionText() + " serves alone");
                }
                ServedModel next = challenger(now);
                slot.route(new Routing.Single(next));
                log.info("traffic model={} promoted version={} over version={}", champion.spec().modelName(), next.versionText(), champion.versionText());
            }
            case TrafficCommand.Abort a -> {
                if (!(now instanceof Routing.Single)) {
                    slot.route(new Routing.Single(champion));
                    log.info("traffic model={} aborted version={}; version={} serves alone", champion.spec().modelName(),
                            challenger(now).versionText(), champion.versionText());
                }
            }
        }
    }

    private static ServedModel challenger(Routing r) {
        return switch (r) {
            case Routing.Single s -> s.champion();
            case Routing.Canary c -> c.challenger();
            case Routing.Shadow s -> s.challenger();
        };
    }

    private static boolean sameVersion(ModelVersionSpec a, ModelVersionSpec b) {
        return a.version() == b.version() && a.modelFile().equals(b.modelFile()) && Objects.equals(a.sha256(), b.sha256());
    }

    private void requireOpen() {
        if (closed) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "the server is shutting down; change refused");
        }
    }

    private static void requireSameModel(ModelVersionSpec spec, String served) {
        if (!spec.modelName().equals(served)) {
            throw FlywheelException.conflict("this server serves model '" + served + "', not '" + spec.modelName()
                    + "'; start another server for a different model");
        }
    }

    /** Refuses further changes and drops the slot's references to the versions it serves. */
    public synchronized void close() {
        if (!closed) {
            closed = true;
            slot.retire();
        }
    }
}
