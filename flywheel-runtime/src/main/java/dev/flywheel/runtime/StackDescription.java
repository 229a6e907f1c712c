package dev.flywheel.runtime;

import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.engine.stack.Stacks;
import dev.flywheel.sdk.flavor.ComponentKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stack as {@code flywheel stack describe} shows it: each of its components and the project's own (secrets store,
 * metadata store), with flavor and settings; settings that are secrets show as {@code ****}, references as written.
 */
public record StackDescription(String name, boolean active, List<Component> components) {
    public StackDescription {
        components = List.copyOf(components);
    }

    /**
     * @param kind  as users type it ({@code model-deployer})
     * @param scope {@code stack} or {@code project}
     * @param where for the metadata store, where it is ({@code sqlite:/.../flywheel.db}); else null
     */
    public record Component(String kind, String scope, String name, String flavor, Map<String, String> settings, Instant createdAt,
                            String where) {
        public Component {
            settings = Map.copyOf(settings);
        }
    }

    static StackDescription of(Stack stack, Stacks stacks, ProjectConfig project, String metadataWhere) {
        List<Component> out = new ArrayList<>();
        for (ComponentKind k : ComponentKind.values()) {
            if (k.scope() == ComponentKind.Scope.STACK) {
                stack.find(k).ifPresent(c -> out.add(component(c, "stack", stacks)));
            }
        }
        out.add(component(stacks.projectComponent(ComponentKind.SECRETS_STORE), "project", stacks));
        if (stack.find(ComponentKind.METADATA_STORE).isPresent()) {
            out.add(component(stack.find(ComponentKind.METADATA_STORE).get(), "stack", stacks));
            return new StackDescription(stack.name(), stack.active(), out);
        }
        StackComponent metadata = new StackComponent(ComponentKind.METADATA_STORE, ProjectConfig.FILE, project.metadataFlavor(),
                project.metadataSettings(), null);
        out.add(new Component(ComponentKind.METADATA_STORE.label(), "project", metadata.name(), metadata.flavor(),
                stacks.displaySettings(metadata), null, metadataWhere));
        return new StackDescription(stack.name(), stack.active(), out);
    }

    private static Component component(StackComponent c, String scope, Stacks stacks) {
        return new Component(c.kind().label(), scope, c.name(), c.flavor(), stacks.displaySettings(c), c.createdAt(), null);
    }
}
