package dev.flywheel.runtime;

import dev.flywheel.monitor.ColumnDrift;
import dev.flywheel.schedule.trigger.ModelWatch;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the scheduler's drift and performance triggers read, answered by the monitoring facade: drift of the logged
 * requests against the reference profile, and live metrics of the labelled ones.
 */
final class MonitoringWatch implements ModelWatch {
    private final Supplier<Monitoring> monitoring;

    MonitoringWatch(Supplier<Monitoring> monitoring) {
        this.monitoring = monitoring;
    }

    @Override
    public void known(String model) {
        monitoring.get().requireModel(model);
    }

    @Override
    public Optional<Drift> drift(String model, Duration window) {
        MonitorReport r;
        try {
            r = monitoring.get().report(model, window);
        } catch (FlywheelException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty(); // nothing logged in the window, or no profile to compare with
            }
            throw e;
        }
        return Optional.of(new Drift(r.version(), r.rows(), r.drift().dataset().columns(), r.drift().dataset().driftedColumns(),
                r.drift().columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).sorted().toList(), r.from(), r.to()));
    }

    @Override
    public Optional<Performance> performance(String model, Duration window) {
        // labels that landed in a polled database table since the last check count in this one
        monitoring.get().pollLabelTables(model);
        LivePerformance p = monitoring.get().performance(model, window, window);
        // one window as long as asked for: its labelled predictions across the versions that answered them
        return p.windows().stream().filter(w -> w.labelledRows() > 0).findFirst()
                .map(w -> new Performance(w.version(), w.labelledRows(), w.metrics(), p.from(), p.to()));
    }
}
