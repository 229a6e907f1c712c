package dev.flywheel.deploy.rollout;

import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.serving.api.ModelVersionSpec;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficMode;
import dev.flywheel.serving.api.TrafficReport;

/**
 * Brings a service's server and deployment in line with its stored rollout, whoever calls it (the supervisor's
 * controller every pass, a user's command at once), and any number of times: an active rollout's split is put back
 * after a server restart (so it resumes at the stored weight), a promotion is finished (the server's one switch, the
 * deployment a restart serves, the registry's production stage) and a rollback too (everything to the champion).
 */
public final class RolloutSettlement {
    private final RolloutTarget target;
    private final RolloutOutcomes outcomes;

    public RolloutSettlement(RolloutTarget target, RolloutOutcomes outcomes) {
        this.target = target;
        this.outcomes = outcomes;
    }

    /** Settles {@code r} and returns the server's report afterwards. */
    public TrafficReport settle(RolloutRecord r) {
        TrafficReport now = target.report();
        switch (r.state()) {
            case PROGRESSING, PAUSED -> {
                TrafficMode mode = r.plan().strategy() == RolloutStrategy.CANARY ? TrafficMode.CANARY : TrafficMode.SHADOW;
                if (now.mode() != mode || now.weight() != r.weight() || now.challengerVersion() != r.challengerVersion()) {
                    now = target.apply(new TrafficCommand.Split(mode, r.weight(), spec(r.challenger())));
                }
            }
            case PROMOTED -> {
                if (now.mode() != TrafficMode.SINGLE && now.challengerVersion() == r.challengerVersion()) {
                    now = target.apply(new TrafficCommand.Promote());
                } else if (now.champion().version() != r.challengerVersion()) {
                    // A server restarted before the deployment followed the promotion: load the challenger, then switch.
                    target.apply(new TrafficCommand.Split(TrafficMode.CANARY, 100, spec(r.challenger())));
                    now = target.apply(new TrafficCommand.Promote());
                }
                if (target.deployedVersion() != r.challengerVersion()) {
                    target.deployed(r.challenger());
                    outcomes.promoted(r);
                }
            }
            case ABORTED, FAILED -> {
                if (now.mode() != TrafficMode.SINGLE) {
                    now = target.apply(new TrafficCommand.Abort());
                }
            }
        }
        return now;
    }

    static ModelVersionSpec spec(DeploymentConfig c) {
        return new ModelVersionSpec(c.modelName(), c.modelVersion(), c.format(), c.modelFile(), c.signature(), c.modelSha256());
    }
}
