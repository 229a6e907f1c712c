package dev.flywheel.sdk.flavor;

import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of component a Flywheel project is made of. Stack kinds are chosen per stack ({@code flywheel stack
 * register NAME -o ORCH -a STORE ...}); project kinds are one per project: the metadata store, chosen when the project
 * is created (it holds the stack tables, so it cannot be a stack member), and the secrets store every component's
 * {@code {{secret.NAME.KEY}}} references resolve against.
 */
public enum ComponentKind {
    ORCHESTRATOR(Scope.STACK, "-o", "local", "runs a pipeline's steps in dependency order"),
    ARTIFACT_STORE(Scope.STACK, "-a", "local", "where artifact bytes live"),
    MODEL_DEPLOYER(Scope.STACK, "-d", "local", "serves model versions as long-lived services"),
    STEP_OPERATOR(Scope.STACK, "-s", null, "runs chosen steps elsewhere (a cluster); none by default"),
    ALERTER(Scope.STACK, "-al", "log", "tells people about failed runs, drift and rejected deploys"),
    DATA_VALIDATOR(Scope.STACK, "-dv", "ranges", "checks data against expectations before it reaches a model"),
    SECRETS_STORE(Scope.PROJECT, null, "local", "keeps secrets that settings refer to as {{secret.NAME.KEY}}"),
    METADATA_STORE(Scope.PROJECT, null, "sqlite", "runs, artifacts, models, services, schedules and stacks");

    /** Whether a component of the kind is chosen per stack or once for the project. */
    public enum Scope { STACK, PROJECT }

    private final Scope scope;
    private final String shortFlag;
    private final String builtInFlavor;
    private final String description;

    ComponentKind(Scope scope, String shortFlag, String builtInFlavor, String description) {
        this.scope = scope;
        this.shortFlag = shortFlag;
        this.builtInFlavor = builtInFlavor;
        this.description = description;
    }

    /** As users type it: {@code model-deployer}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Scope scope() {
        return scope;
    }

    /** The option of {@code flywheel stack register} that names a component of this kind: {@code -d}. */
    public String flag() {
        return shortFlag != null ? shortFlag : "--" + label();
    }

    /**
     * The flavor of the {@code default} component every project has, or null when a stack has none of this kind
     * unless one is registered (the step operator).
     */
    public String builtInFlavor() {
        return builtInFlavor;
    }

    public String description() {
        return description;
    }

    /** Parses {@code model-deployer}, {@code model_deployer} or {@code MODEL_DEPLOYER}. */
    public static ComponentKind parse(String text) {
        for (ComponentKind k : values()) {
            if (k.label().equalsIgnoreCase(text) || k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        throw FlywheelException.invalid("Unknown component kind '" + text + "'; use one of: "
                + Arrays.stream(values()).map(ComponentKind::label).collect(Collectors.joining(", ")));
    }
}
