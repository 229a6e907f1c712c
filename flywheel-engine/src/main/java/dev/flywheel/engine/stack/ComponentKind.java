package dev.flywheel.engine.stack;

import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of stack component; a stack has one of each (the metadata store is shared by every stack of a project). */
public enum ComponentKind {
    ORCHESTRATOR("o"), ARTIFACT_STORE("a"), MODEL_DEPLOYER("d"), METADATA_STORE("m");

    private final String flag;

    ComponentKind(String flag) {
        this.flag = flag;
    }

    /** As users type it: {@code model-deployer}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The short option of {@code flywheel stack register}: {@code -d} for the model deployer. */
    public String flag() {
        return "-" + flag;
    }

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
