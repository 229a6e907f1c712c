package dev.flywheel.runtime;

import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;
import dev.flywheel.sdk.flavor.Flavor;
import dev.flywheel.sdk.flavor.FlavorContext;
import dev.flywheel.sdk.flavor.FlavorSettings;
import dev.flywheel.sdk.flavor.Flavors;
import dev.flywheel.sdk.flavor.References;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds components through their flavors, once each, on first use, and closes those it built. It is also what a
 * flavor sees as its {@link FlavorContext}: the project folder, the clock, the class loader and the parts of the
 * project offered with {@link #offer} (the metadata store, the stack's artifact store, the engine's step runner...).
 * Thread-safe.
 */
final class Components implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Components.class);

    private final Flavors flavors;
    private final Path projectFolder;
    private final Clock clock;
    private final ClassLoader classLoader;
    private final References.Resolver references;
    private final Map<ComponentKind, Map<String, String>> overrides;
    private final Map<Class<?>, Supplier<?>> offered = new ConcurrentHashMap<>();
    private final Map<Class<?>, Supplier<?>> offeredToProjectKinds = new ConcurrentHashMap<>();
    private final Map<String, Lazy<Object>> built = new ConcurrentHashMap<>();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    /**
     * @param references resolves {@code {{secret.NAME.KEY}}} in settings when a component is built
     * @param overrides  settings that replace the stored ones for this handle only ({@code run --parallelism})
     */
    Components(Flavors flavors, Path projectFolder, Clock clock, ClassLoader classLoader, References.Resolver references,
               Map<ComponentKind, Map<String, String>> overrides) {
        this.flavors = flavors;
        this.projectFolder = projectFolder;
        this.clock = clock;
        this.classLoader = classLoader;
        this.references = references;
        this.overrides = new EnumMap<>(ComponentKind.class);
        this.overrides.putAll(overrides);
    }

    /** Offers a part of the project to flavors ({@link FlavorContext#require}); built when first required. */
    <T> void offer(Class<T> type, Supplier<? extends T> part) {
        offered.put(type, part);
    }

    /**
     * Offers a part to the components of project kinds only (the secrets store), in place of what {@link #offer} gives
     * stack components: the project's own metadata store, when the stack keeps its runs in another one.
     */
    <T> void offerToProjectKinds(Class<T> type, Supplier<? extends T> part) {
        offeredToProjectKinds.put(type, part);
    }

    /**
     * The component, built through its flavor the first time. Later calls return the same instance.
     *
     * @throws FlywheelException INVALID_ARGUMENT when its flavor is missing or its settings no longer fit;
     *                           INTERNAL when the flavor builds something that is not a {@code type}
     */
    <T> T get(StackComponent component, Class<T> type) {
        String key = component.kind().name() + "/" + component.name();
        Object c = built.computeIfAbsent(key, k -> Lazy.of(() -> build(component, type))).get();
        return type.cast(c);
    }

    private Object build(StackComponent component, Class<?> type) {
        Map<String, String> settings = new LinkedHashMap<>(component.settings());
        settings.putAll(overrides.getOrDefault(component.kind(), Map.of()));
        Object c = create(flavors.require(component.kind(), component.flavor()), component.name(), settings, references, type);
        if (c instanceof AutoCloseable closeable) {
            synchronized (toClose) {
                toClose.push(closeable);
            }
        }
        LOG.debug("component built kind={} name={} flavor={}", component.kind().label(), component.name(), component.flavor());
        return c;
    }

    /** Binds the settings and calls the flavor's factory; checks what it returns. */
    <T> T create(Flavor<?, ?> flavor, String name, Map<String, String> settings, References.Resolver resolver, Class<T> type) {
        for (String key : overrides.getOrDefault(flavor.kind(), Map.of()).keySet()) {
            boolean known = flavors.list(flavor.kind()).stream().filter(i -> i.name().equals(flavor.name()))
                    .anyMatch(i -> i.settings().stream().anyMatch(s -> s.name().equals(key)));
            if (!known) {
                throw FlywheelException.invalid(flavor.kind().label() + " flavor '" + flavor.name() + "' of component '" + name
                        + "' has no setting '" + key + "', so it cannot be set for this run");
            }
        }
        Object c = createTyped(flavor, name, settings, resolver);
        if (!type.isInstance(c)) {
            throw new FlywheelException(ErrorCode.INTERNAL, flavor.kind().label() + " flavor '" + flavor.name() + "' ("
                    + flavor.getClass().getName() + ") built " + (c == null ? "null" : "a " + c.getClass().getName())
                    + ", which is not a " + type.getName() + "; the flavor is broken");
        }
        return type.cast(c);
    }

    private <S extends Record> Object createTyped(Flavor<S, ?> flavor, String name, Map<String, String> settings, References.Resolver resolver) {
        S bound = FlavorSettings.bind(flavor, settings, resolver);
        return flavor.create(bound, new Context(name, flavor.kind()));
    }

    /** What one flavor sees while it builds one component. */
    private final class Context implements FlavorContext {
        private final String componentName;
        private final ComponentKind kind;

        Context(String componentName, ComponentKind kind) {
            this.componentName = componentName;
            this.kind = kind;
        }

        @Override
        public String componentName() {
            return componentName;
        }

        @Override
        public Path projectFolder() {
            return projectFolder;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public ClassLoader classLoader() {
            return classLoader;
        }

        @Override
        public <T> T require(Class<T> type) {
            Supplier<?> part = kind.scope() == ComponentKind.Scope.PROJECT && offeredToProjectKinds.containsKey(type)
                    ? offeredToProjectKinds.get(type) : offered.get(type);
            if (part == null) {
                throw FlywheelException.notFound("This project offers no " + type.getName() + " to flavors; offered: "
                        + offered.keySet().stream().map(Class::getSimpleName).sorted().toList());
            }
            return type.cast(part.get());
        }
    }

    @Override
    public void close() {
        synchronized (toClose) {
            while (!toClose.isEmpty()) {
                try {
                    toClose.pop().close();
                } catch (Exception e) {
                    LOG.warn("closing a component failed: {}", e.toString());
                }
            }
        }
    }
}
