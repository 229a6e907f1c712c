package dev.flywheel.server.internal;

import dev.flywheel.runtime.Runs;
import dev.flywheel.sdk.StepStatus;
import dev.flywheel.store.metadata.ArtifactLink;
import dev.flywheel.store.metadata.RunRecord;
import dev.flywheel.store.metadata.StepRunRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A run as the API and the pages show it: steps without their (possibly long) logs, the graph's edges. */
public final class RunViews {
    private RunViews() {
    }

    public record Detail(RunRecord run, Long durationMillis, List<StepView> steps, List<Runs.RunDescription.Edge> edges) {
        public static Detail of(Runs.RunDescription d) {
            return new Detail(d.run(), millis(d.run().startedAt(), d.run().finishedAt()), d.steps().stream().map(StepView::of).toList(),
                    d.edges());
        }

        /** How many steps reused cached outputs. */
        public long cachedSteps() {
            return steps.stream().filter(s -> s.status() == StepStatus.CACHED).count();
        }
    }

    public record LinkView(String name, String artifactId) {
    }

    public record StepView(String id, String name, String stepClass, StepStatus status, String cachedFrom, String codeHash,
                           String configJson, int attempts, Instant startedAt, Instant finishedAt, Long durationMillis, String error,
                           String metadataJson, int logChars, List<LinkView> inputs, List<LinkView> outputs) {
        static StepView of(Runs.RunDescription.Step s) {
            StepRunRecord r = s.record();
            return new StepView(r.id(), r.name(), r.stepClass(), r.status(), r.cachedFrom(), r.codeHash(), r.configJson(), r.attempts(),
                    r.startedAt(), r.finishedAt(), millis(r.startedAt(), r.finishedAt()), r.error(), r.metadataJson(),
                    r.logs() == null ? 0 : r.logs().length(), links(s.links(), ArtifactLink.Direction.INPUT),
                    links(s.links(), ArtifactLink.Direction.OUTPUT));
        }
    }

    static List<LinkView> links(List<ArtifactLink> links, ArtifactLink.Direction direction) {
        return links.stream().filter(l -> l.direction() == direction).map(l -> new LinkView(l.name(), l.artifactId())).toList();
    }

    static Long millis(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }
}
