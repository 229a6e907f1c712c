package dev.flywheel.runtime;

import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.engine.stack.Stacks;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.References;
import dev.flywheel.sdk.secret.SecretInfo;
import dev.flywheel.sdk.secret.SecretNames;
import dev.flywheel.sdk.secret.SecretsStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Secrets of the project, as {@code flywheel secret} manages them: values go in, names and keys come out, and no
 * value is ever returned to be printed. Knows which components refer to a secret, so one in use is not deleted by
 * mistake.
 */
public final class Secrets {
    private final Supplier<SecretsStore> store;
    private final Supplier<Stacks> stacks;

    Secrets(Supplier<SecretsStore> store, Supplier<Stacks> stacks) {
        this.store = store;
        this.stacks = stacks;
    }

    /** A secret without its values, and the component settings that refer to it ({@code model-deployer prod: password}). */
    public record SecretDescription(String name, List<String> keys, Instant createdAt, Instant updatedAt, List<String> usedBy) {
        public SecretDescription {
            keys = List.copyOf(keys);
            usedBy = List.copyOf(usedBy);
        }
    }

    /** Stores a new secret; CONFLICT when the name is taken. */
    public SecretInfo create(String name, Map<String, String> values) {
        SecretNames.requireName(name);
        SecretNames.requireValues(name, values);
        return store.get().create(name, values);
    }

    public List<SecretInfo> list() {
        return store.get().list();
    }

    public SecretDescription describe(String name) {
        SecretInfo info = store.get().describe(name).orElseThrow(() -> notFound(name));
        return new SecretDescription(info.name(), info.keys(), info.createdAt(), info.updatedAt(), usedBy(name));
    }

    /**
     * Deletes a secret.
     *
     * @param force delete even when component settings refer to it (they fail when built, until given another)
     * @throws FlywheelException NOT_FOUND when there is none; CONFLICT when it is in use and not forced
     */
    public SecretInfo delete(String name, boolean force) {
        SecretInfo info = store.get().describe(name).orElseThrow(() -> notFound(name));
        List<String> users = usedBy(name);
        if (!users.isEmpty() && !force) {
            throw FlywheelException.conflict("Secret '" + name + "' is used by " + String.join(", ", users)
                    + "; register those components without it first, or delete anyway with --force");
        }
        store.get().delete(name);
        return info;
    }

    private List<String> usedBy(String name) {
        List<String> out = new ArrayList<>();
        Stacks s = stacks.get();
        for (ComponentKind kind : ComponentKind.values()) {
            if (kind == ComponentKind.METADATA_STORE) {
                continue;
            }
            for (StackComponent c : s.components(kind)) {
                c.settings().forEach((key, value) -> {
                    if (References.hasReference(value) && References.parse(value).stream()
                            .anyMatch(r -> References.SECRET.equals(r.namespace()) && r.name().equals(name))) {
                        out.add(kind.label() + " '" + c.name() + "' (setting " + key + ")");
                    }
                });
            }
        }
        return out;
    }

    private static FlywheelException notFound(String name) {
        return FlywheelException.notFound("No secret named '" + name + "'; list them with: flywheel secret list");
    }
}
