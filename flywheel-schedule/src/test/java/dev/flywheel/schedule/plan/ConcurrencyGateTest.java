package dev.flywheel.schedule.plan;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyGateTest {
    private static final Instant T1 = Instant.parse("2026-04-01T01:00:00Z");
    private static final Instant T2 = Instant.parse("2026-04-01T02:00:00Z");
    private static final Instant T3 = Instant.parse("2026-04-01T03:00:00Z");

    @Test
    void firesBeyondTheCapAreDeferredInOrderAndLaunchWhenRunsFinish() {
        ConcurrencyGate.Admission busy = ConcurrencyGate.admit(List.of(T1, T2, T3), 1, 2);

        assertThat(busy.launchNow()).containsExactly(T1);
        assertThat(busy.deferred()).containsExactly(T2, T3);

        // Both runs still going: nothing launches, nothing is lost.
        ConcurrencyGate.Admission full = ConcurrencyGate.admit(busy.deferred(), 2, 2);
        assertThat(full.launchNow()).isEmpty();
        assertThat(full.deferred()).containsExactly(T2, T3);

        // All finished: the deferred fires launch, oldest first.
        ConcurrencyGate.Admission free = ConcurrencyGate.admit(full.deferred(), 0, 2);
        assertThat(free.launchNow()).containsExactly(T2, T3);
        assertThat(free.deferred()).isEmpty();
    }

    @Test
    void moreRunningThanTheCapLaunchesNothing() {
        assertThat(ConcurrencyGate.admit(List.of(T1), 5, 1).deferred()).containsExactly(T1);
    }

    @Test
    void admissionDoesNotShareTheCallersList() {
        List<Instant> due = new ArrayList<>(List.of(T1, T2));
        ConcurrencyGate.Admission admission = ConcurrencyGate.admit(due, 0, 1);
        due.clear();

        assertThat(admission.launchNow()).containsExactly(T1);
        assertThat(admission.deferred()).containsExactly(T2);
    }

    @Test
    void negativeRunningOrZeroCapIsRejected() {
        assertThatThrownBy(() -> ConcurrencyGate.admit(List.of(T1), -1, 1)).hasMessageContaining("running must be >= 0");
        assertThatThrownBy(() -> ConcurrencyGate.admit(List.of(T1), 0, 0)).hasMessageContaining("max >= 1");
    }
}
