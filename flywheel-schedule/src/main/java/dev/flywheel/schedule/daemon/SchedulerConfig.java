package dev.flywheel.schedule.daemon;

import dev.flywheel.schedule.plan.CatchUpPlanner;
import dev.flywheel.sdk.FlywheelException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link Scheduler}.
 *
 * @param stateDir         where child logs go ({@code runs/}) and the webhook port file
 * @param pollInterval     how often triggers are checked and the store is re-read for new or changed schedules
 *                         (between polls the scheduler sleeps, waking early for a due fire or a finished run)
 * @param webhookPort      the port of the webhook endpoint on 127.0.0.1; 0 for any free port; -1 for no endpoint
 * @param planner          the catch-up planner (misfire threshold, catch-up cap)
 * @param webhookTolerance how far a webhook's {@code X-Flywheel-Timestamp} may be from this scheduler's clock
 * @param webhookLimits    connections, time and body size one webhook client may take
 */
public record SchedulerConfig(Path stateDir, Duration pollInterval, int webhookPort, CatchUpPlanner planner,
                              Duration webhookTolerance, WebhookLimits webhookLimits) {
    public SchedulerConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(webhookTolerance, "webhookTolerance");
        Objects.requireNonNull(webhookLimits, "webhookLimits");
        if (pollInterval == null || pollInterval.toMillis() < 10 || pollInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw FlywheelException.invalid("Scheduler poll interval must be between 10 ms and 10 minutes, got " + pollInterval);
        }
        if (webhookPort < -1 || webhookPort > 65535) {
            throw FlywheelException.invalid("Webhook port must be 0 (any free port), -1 (no endpoint) or 1-65535, got " + webhookPort);
        }
    }

    /** With the default webhook limits ({@link WebhookLimits#defaults()}). */
    public SchedulerConfig(Path stateDir, Duration pollInterval, int webhookPort, CatchUpPlanner planner, Duration webhookTolerance) {
        this(stateDir, pollInterval, webhookPort, planner, webhookTolerance, WebhookLimits.defaults());
    }

    /** Poll every second, webhook endpoint on a free port, default catch-up planner, 5 minutes webhook tolerance. */
    public static SchedulerConfig defaults(Path stateDir) {
        return new SchedulerConfig(stateDir, Duration.ofSeconds(1), 0, CatchUpPlanner.withDefaults(), Duration.ofMinutes(5));
    }

    public SchedulerConfig withPollInterval(Duration interval) {
        return new SchedulerConfig(stateDir, interval, webhookPort, planner, webhookTolerance, webhookLimits);
    }

    public SchedulerConfig withWebhookPort(int port) {
        return new SchedulerConfig(stateDir, pollInterval, port, planner, webhookTolerance, webhookLimits);
    }

    public SchedulerConfig withPlanner(CatchUpPlanner p) {
        return new SchedulerConfig(stateDir, pollInterval, webhookPort, p, webhookTolerance, webhookLimits);
    }

    public SchedulerConfig withWebhookLimits(WebhookLimits limits) {
        return new SchedulerConfig(stateDir, pollInterval, webhookPort, planner, webhookTolerance, limits);
    }

    /** The file the webhook endpoint's port is written to once it listens. */
    public Path portFile() {
        return stateDir.resolve("webhook.port");
    }
}
