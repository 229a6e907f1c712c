package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.Deployments;
import dev.flywheel.deploy.service.DesiredState;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.registry.ModelVersion;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The rollouts facade the CLI and the server call: start a canary or shadow rollout of a registered version on the
 * service that serves the model, list them, and the user's commands (promote, abort, pause, resume). A started
 * rollout is driven by the service's own controller (in its supervisor), so it goes on when the caller exits; a
 * user's command is stored by a compare-and-set and applied at once (the controller would apply it on its next pass).
 */
public final class Rollouts {
    private final RolloutStore store;
    private final Deployments deployments;
    private final RolloutOutcomes outcomes;
    private final Clock clock;
    private final Duration intervalFloor;

    public Rollouts(RolloutStore store, Deployments deployments, RolloutOutcomes outcomes, Clock clock) {
        this(store, deployments, outcomes, clock, AnalysisConfig.INTERVAL_FLOOR);
    }

    private Rollouts(RolloutStore store, Deployments deployments, RolloutOutcomes outcomes, Clock clock, Duration intervalFloor) {
        this.store = store;
        this.deployments = deployments;
        this.outcomes = outcomes;
        this.clock = clock;
        this.intervalFloor = intervalFloor;
    }

    /** For tests only: analyses closer together than {@link AnalysisConfig#INTERVAL_FLOOR}, so a test runs in seconds. */
    public Rollouts withIntervalFloorForTestsOnly(Duration floor) {
        return new Rollouts(store, deployments, outcomes, clock, floor);
    }

    /**
     * Serves {@code request}'s version beside the champion by its plan's first step, then hands the rollout to the
     * service's controller.
     *
     * @throws FlywheelException NOT_FOUND for an unknown model or version; CONFLICT when no service (or several) serve the
     *         model, the version is the champion, or the service has an active rollout; INVALID_ARGUMENT for a deployer
     *         without progressive delivery or a plan under the interval floor; DEPLOY_FAILED when the server refuses the
     *         challenger (the rollout is recorded failed and the champion keeps serving alone)
     */
    public RolloutRecord start(RolloutRequest request) {
        request.plan().analysis().requireInterval(intervalFloor);
        if (!(deployments.deployer() instanceof ProgressiveDeployer progressive)) {
            throw FlywheelException.invalid("The '" + deployments.deployer().flavor() + "' model deployer does not run canary or shadow "
                    + "rollouts; the local deployer does (flywheel stack set default)");
        }
        ModelVersion version = deployments.registry().get(request.challenger());
        DeploymentConfig challenger = deployments.config(version);
        return deployments.deployer().exclusively(() -> {
            Service service = service(version.model(), request.service());
            int champion = service.record().modelVersion();
            if (champion == version.version()) {
                throw FlywheelException.conflict("Version " + version.version() + " of '" + version.model() + "' is what service "
                        + service.record().uuid() + " serves already; a rollout needs another version as its challenger");
            }
            UUID id = UUID.randomUUID();
            Instant now = clock.instant();
            DeploymentConfig prepared = progressive.prepareChallenger(service.record().uuid(), challenger);
            RolloutRecord r = new RolloutRecord(id, service.record().uuid(), version.model(), champion, prepared, request.plan(),
                    RolloutState.PROGRESSING, 0, 0, null, now, now, now, 0, List.of());
            store.insert(r, new StepDecision(0, now, 0, r.weight(), Verdict.PASS, List.of(), "start " + r.plan().strategy().label()
                    + " " + r.weight() + "%"));
            RolloutSettlement settlement = new RolloutSettlement(progressive.target(r.service()), outcomes);
            try {
                settlement.settle(r);
            } catch (FlywheelException e) {
                RolloutRecord failed = r.next(RolloutState.FAILED, 0, 0, "the server refused the challenger: " + e.getMessage(), now, clock.instant());
                store.change(r, failed, new StepDecision(0, clock.instant(), 0, r.weight(), Verdict.FAIL, List.of(), "rollback"))
                        .ifPresent(outcomes::rolledBack);
                throw new FlywheelException(ErrorCode.DEPLOY_FAILED, "Rollout of '" + version.model() + "' version " + version.version()
                        + " failed to start: " + e.getMessage() + "; version " + champion + " keeps serving alone", e);
            }
            progressive.watch(r.service());
            return store.find(id).orElseThrow();
        });
    }

    private Service service(String model, String serviceRef) {
        if (serviceRef != null) {
            Service s = deployments.get(serviceRef);
            if (!s.record().modelName().equals(model)) {
                throw FlywheelException.conflict("Service " + serviceRef + " serves model '" + s.record().modelName() + "', not '" + model + "'");
            }
            return s;
        }
        List<Service> serving = deployments.list(null, null, model, false).stream()
                .filter(s -> s.record().desiredState() == DesiredState.RUNNING).toList();
        if (serving.isEmpty()) {
            throw FlywheelException.conflict("No service serves model '" + model + "'; a rollout needs a champion serving: "
                    + "flywheel models deploy " + model + " VERSION first");
        }
        if (serving.size() > 1) {
            throw FlywheelException.conflict("Model '" + model + "' is served by " + serving.size() + " services ("
                    + String.join(", ", serving.stream().map(s -> s.record().uuid().toString().substring(0, 8)).toList())
                    + "); pick one with --service ID");
        }
        return serving.getFirst();
    }

    /** Every rollout, newest first. */
    public List<RolloutRecord> list() {
        return store.list();
    }

    /** One rollout with every decision, by id or unique id prefix. */
    public RolloutRecord status(String id) {
        return store.resolve(id);
    }

    /** The service's newest rollout, if any (what {@code served-models describe} shows). */
    public Optional<RolloutRecord> latest(UUID service) {
        return store.latest(service);
    }

    /** Makes the challenger the only version now: one switch, then the deployment and the registry follow. */
    public RolloutRecord promote(String id) {
        return command(id, "promote", RolloutState.PROMOTED, "promoted by a user");
    }

    /** Sends all traffic back to the champion now (one switch) and marks the challenger's version. */
    public RolloutRecord abort(String id) {
        RolloutRecord r = command(id, "abort", RolloutState.ABORTED, "aborted by a user");
        outcomes.rolledBack(r);
        return r;
    }

    /** Holds the current weight; no analysis until resumed. */
    public RolloutRecord pause(String id) {
        return command(id, "pause", RolloutState.PAUSED, "paused by a user; resume with: flywheel rollouts resume " + store.resolve(id).shortId());
    }

    /** Analyses again from a fresh interval at the current step. */
    public RolloutRecord resume(String id) {
        return command(id, "resume", RolloutState.PROGRESSING, null);
    }

    /**
     * Ends the service's active rollout, if any, as aborted because the service was deleted (its server and supervisor
     * are gone, so nothing is left to settle); the challenger's version is tagged with the reason.
     */
    public Optional<RolloutRecord> serviceDeleted(UUID service) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<RolloutRecord> active = store.active(service);
            if (active.isEmpty()) {
                return Optional.empty();
            }
            RolloutRecord r = active.get();
            Instant now = clock.instant();
            RolloutRecord next = r.next(RolloutState.ABORTED, r.stepIndex(), r.failures(), "service " + service.toString().substring(0, 8)
                    + " was deleted during the rollout", r.stepStartedAt(), now);
            Optional<RolloutRecord> stored = store.change(r, next, new StepDecision(0, now, r.stepIndex(), r.weight(), Verdict.PASS, List.of(),
                    "abort (service deleted)"));
            if (stored.isPresent()) {
                outcomes.rolledBack(stored.get());
                return stored;
            }
        }
        throw new FlywheelException(ErrorCode.UNAVAILABLE, "The rollout of service " + service + " kept changing while the service was deleted;"
                + " end it with: flywheel rollouts abort ID");
    }

    private RolloutRecord command(String id, String action, RolloutState to, String reason) {
        for (int attempt = 0; attempt < 10; attempt++) {
            RolloutRecord r = store.resolve(id);
            if (!r.state().active() || (to == RolloutState.PAUSED && r.state() != RolloutState.PROGRESSING)
                    || (to == RolloutState.PROGRESSING && r.state() != RolloutState.PAUSED)) {
                throw FlywheelException.conflict("Rollout " + r.shortId() + " is " + r.state().label() + "; it cannot " + action
                        + (r.state().active() ? "" : " (it has ended" + (r.reason() == null ? "" : ": " + r.reason()) + ")"));
            }
            Instant now = clock.instant();
            RolloutRecord next = r.next(to, r.stepIndex(), r.failures(), reason, to == RolloutState.PROGRESSING ? now : r.stepStartedAt(), now);
            Optional<RolloutRecord> stored = store.change(r, next, new StepDecision(0, now, r.stepIndex(), r.weight(), Verdict.PASS, List.of(),
                    action + " (by a user)"));
            if (stored.isPresent()) {
                settlement(stored.get()).settle(stored.get());
                return store.find(r.id()).orElseThrow();
            }
        }
        throw new FlywheelException(ErrorCode.UNAVAILABLE, "Rollout " + id + " kept changing under this command; try again");
    }

    private RolloutSettlement settlement(RolloutRecord r) {
        if (!(deployments.deployer() instanceof ProgressiveDeployer progressive)) {
            throw FlywheelException.invalid("The '" + deployments.deployer().flavor() + "' model deployer does not run rollouts");
        }
        return new RolloutSettlement(progressive.target(r.service()), outcomes);
    }
}
